#ifndef COMPOUND_HUGE_REGION_H
#define COMPOUND_HUGE_REGION_H

/* Asks, on the calling thread only, that every large anonymous region mapped from now on be backed by
 * transparent huge pages (`on` non-zero), or stops asking (`on` zero).
 *
 * libxcrypt maps a fresh 16 MiB region for each yescrypt hash of a PIN and never lets the caller supply one.
 * Faulting it in 4 KiB at a time (4,096 page faults) is about a third of the hash's time; with huge pages
 * it is a few faults. The hash itself, its cost setting and its result are unchanged. */
void compound_huge_regions(int on);

#endif
