#include <crypt.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Lowers the calling thread's scheduling priority to `nice` (Linux threads each have their own): the PIN
 * hash runs beside a command's own work, and its verdict is needed last. It still gets its share of a busy
 * machine, never starved. Returns 0, or -1 with errno set. */
static inline int compound_lower_priority(int nice) {
  return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}
