#include <crypt.h>
#include <pthread.h>
#include <sched.h>

#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif

/* Lets the calling thread run only on a core nothing else wants (Linux SCHED_IDLE): the PIN hash runs
 * beside a command's own work, and its verdict is needed last. Returns 0, or an errno value. */
static inline int compound_run_when_idle(void) {
  struct sched_param parameters = {0};
  return pthread_setschedparam(pthread_self(), SCHED_IDLE, &parameters);
}
