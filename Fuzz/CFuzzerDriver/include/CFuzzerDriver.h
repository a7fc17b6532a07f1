#ifndef C_FUZZER_DRIVER_H
#define C_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver over `entry` with the process's arguments (libFuzzer's
/// `LLVMFuzzerRunDriver`, from the toolchain's libclang_rt.fuzzer that `-sanitize=fuzzer` links).
int fuzzer_driver_run(int argc, char **argv, int (*entry)(const uint8_t *data, size_t size));

#endif
