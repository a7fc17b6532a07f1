#ifndef CHILD_SPAWN_H
#define CHILD_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL-terminated; `envp` NULL inherits this process's
/// environment). The child gets `stdin_fd`, `stdout_fd` and `stderr_fd` as its descriptors 0, 1
/// and 2, every other descriptor closed, `directory` (when not NULL) as its working folder, every
/// signal at its default action and unblocked, and a process group of its own.
/// Returns 0 and sets `*pid`, or an `errno` value.
int child_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], int stdin_fd,
                int stdout_fd, int stderr_fd, const char *directory);

#endif
