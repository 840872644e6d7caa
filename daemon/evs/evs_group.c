/* Sets of EVS groups; see evs_group.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evs/evs_group.h"

/* The index of key, or where it would go (*found 0). */
static size_t find(const struct evs_gset *s, const uint8_t *key, int *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(s->keys[mid], key, EVS_GROUP_LEN);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

int evs_gset_matches(const struct evs_gset *s, const uint8_t *groups,
		     size_t n)
{
	int found;

	for (size_t i = 0; i < n; i++) {
		find(s, groups + i * EVS_GROUP_LEN, &found);
		if (found)
			return 1;
	}
	return 0;
}

/* How many of the n groups are new to the set (a duplicate among them
 * counted once). */
static size_t count_new(const struct evs_gset *s, const uint8_t *groups,
			size_t n)
{
	size_t fresh = 0;
	int found;

	for (size_t i = 0; i < n; i++) {
		const uint8_t *k = groups + i * EVS_GROUP_LEN;
		int dup = 0;

		find(s, k, &found);
		for (size_t j = 0; j < i && !found && !dup; j++)
			dup = memcmp(groups + j * EVS_GROUP_LEN, k,
				     EVS_GROUP_LEN) == 0;
		if (!found && !dup)
			fresh++;
	}
	return fresh;
}

int evs_gset_add(struct evs_gset *s, const uint8_t *groups, size_t n,
		 size_t max)
{
	size_t fresh = count_new(s, groups, n);
	int found;

	if (fresh > max || s->n > max - fresh)
		return -ENOSPC;
	if (s->n + fresh > s->cap) {
		size_t cap = s->n + fresh;
		void *p = realloc(s->keys, cap * EVS_GROUP_LEN);

		if (!p)
			return -ENOMEM;
		s->keys = p;
		s->cap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		const uint8_t *k = groups + i * EVS_GROUP_LEN;
		size_t at = find(s, k, &found);

		if (found)
			continue;
		if (at < s->n)
			memmove(s->keys[at + 1], s->keys[at],
				(s->n - at) * EVS_GROUP_LEN);
		memcpy(s->keys[at], k, EVS_GROUP_LEN);
		s->n++;
	}
	return 0;
}

int evs_gset_remove(struct evs_gset *s, const uint8_t *groups, size_t n)
{
	int found;

	for (size_t i = 0; i < n; i++) {
		find(s, groups + i * EVS_GROUP_LEN, &found);
		if (!found)
			return -ENOENT;
	}
	for (size_t i = 0; i < n; i++) {
		size_t at = find(s, groups + i * EVS_GROUP_LEN, &found);

		if (!found)
			continue;	/* named twice in the request */
		if (at + 1 < s->n)
			memmove(s->keys[at], s->keys[at + 1],
				(s->n - at - 1) * EVS_GROUP_LEN);
		s->n--;
	}
	return 0;
}

void evs_gset_free(struct evs_gset *s)
{
	free(s->keys);
	s->keys = NULL;
	s->n = s->cap = 0;
}
