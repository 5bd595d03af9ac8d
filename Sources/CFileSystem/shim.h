#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Swaps two paths in one step (renameat2 with RENAME_EXCHANGE): a crash leaves one or the other, never neither. */
static inline int compound_exchange(const char *first, const char *second) {
  return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, 2 /* RENAME_EXCHANGE */);
}
