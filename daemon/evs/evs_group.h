/*
 * A set of EVS groups (32-byte keys compared as bytes), kept sorted, with
 * the one question delivery asks: does a message for these groups reach
 * a client of this set?  Pure functions, no I/O.
 */
#ifndef CPGD_EVS_GROUP_H
#define CPGD_EVS_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "evs/evs.h"

struct evs_gset {
	uint8_t (*keys)[EVS_GROUP_LEN];
	size_t n, cap;
};

/* Add n groups (duplicates, within them or with the set, count once):
 * all or nothing.  -ENOSPC when the set would hold more than max,
 * -ENOMEM. */
int evs_gset_add(struct evs_gset *s, const uint8_t *groups, size_t n,
		 size_t max);
/* Remove n groups: all or nothing, -ENOENT when one is not in the set. */
int evs_gset_remove(struct evs_gset *s, const uint8_t *groups, size_t n);
/* 1 when at least one of the n groups is in the set, else 0. */
int evs_gset_matches(const struct evs_gset *s, const uint8_t *groups,
		     size_t n);
void evs_gset_free(struct evs_gset *s);

#endif
