/*
 * What the benchmark clients (cpgbench, knetbench) share: the clock their
 * messages carry and the payload pattern they fill and check.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC, which every network namespace of one machine shares */
static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint8_t bench_pattern(uint64_t seq, size_t i)
{
	return (uint8_t)(seq * 31u + i * 7u);
}

/* Only the first and last 64 bytes of a payload are filled and checked:
 * every byte would measure memory bandwidth, not the transport. */
static inline void bench_fill(uint8_t *p, size_t n, uint64_t seq)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == 64 && n > 128)
			i = n - 64;
		p[i] = bench_pattern(seq, i);
	}
}

/* 0 when the pattern of message seq is there, -1 if not */
static inline int bench_check(const uint8_t *p, size_t n, uint64_t seq)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == 64 && n > 128)
			i = n - 64;
		if (p[i] != bench_pattern(seq, i))
			return -1;
	}
	return 0;
}

#endif
