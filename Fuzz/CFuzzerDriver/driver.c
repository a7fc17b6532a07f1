#include "CFuzzerDriver.h"

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*entry)(const uint8_t *data, size_t size));

int fuzzer_driver_run(int argc, char **argv, int (*entry)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, entry);
}
