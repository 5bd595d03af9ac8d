#define _GNU_SOURCE
#include "huge_region.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* Regions smaller than one huge page gain nothing. */
#define COMPOUND_HUGE_PAGE (2UL * 1024 * 1024)

static _Thread_local int huge_regions;

void compound_huge_regions(int on) { huge_regions = on; }

/* Every library's `mmap` in this process resolves here (the executable's definition comes first; glibc's own
 * calls do not). It maps exactly as glibc's does, with the system call itself, and only then, on a thread
 * that asked and for a large private anonymous region, advises huge pages. The advice changes how the region
 * is backed, never what it holds, and a kernel without transparent huge pages ignores it. */
void *mmap(void *address, size_t length, int protection, int flags, int descriptor, off_t offset) {
  void *region = (void *)syscall(SYS_mmap, address, length, protection, flags, descriptor, offset);
  if (huge_regions && region != MAP_FAILED && (flags & MAP_ANONYMOUS) && (flags & MAP_PRIVATE)
      && length >= COMPOUND_HUGE_PAGE) {
    (void)madvise(region, length, MADV_HUGEPAGE);
  }
  return region;
}
