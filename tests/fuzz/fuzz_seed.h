/* Shared by the seed writers of the request-handler targets
 * (fuzz_ipc_seed.c, fuzz_evs_seed.c), built on their own: one input record
 * (fuzz_order.h) written as a file of its own. */
#ifndef CPGD_FUZZ_SEED_H
#define CPGD_FUZZ_SEED_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

/* The record's 3-byte head: op, then len (little endian). */
static inline void seed_head(uint8_t head[3], uint8_t op, size_t len)
{
	head[0] = op;
	head[1] = (uint8_t)len;
	head[2] = (uint8_t)(len >> 8);
}

/* The record (op, req[0..len)) as the file dir/name: 0, or 1 after
 * saying why on stderr. */
static inline int seed_file(const char *dir, const char *name, uint8_t op,
			    const uint8_t *req, size_t len)
{
	char path[4096];
	uint8_t head[3];
	FILE *f;

	seed_head(head, op, len);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(head, 1, 3, f) != 3 || fwrite(req, 1, len, f) != len) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) != 0;
}

#endif
