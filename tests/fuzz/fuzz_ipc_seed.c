/*
 * Writes the seed corpus of fuzz_ipc into DIR: one well-formed request of
 * each id, and one session of them all over two connections, in fuzz_ipc's
 * record format (u8 op, u16 length, request).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_seed.h"

static uint8_t sess[16384];
static size_t sess_len;

static void put64(uint8_t *b, size_t off, uint64_t v) { memcpy(b + off, &v, 8); }

/* A seed file of its own, and the record appended to the session. */
static int emit(const char *dir, const char *name, uint8_t conn,
		const uint8_t *req, size_t len)
{
	if (seed_file(dir, name, conn, req, len))
		return -1;
	if (sess_len + 3 + len <= sizeof(sess)) {
		seed_head(sess + sess_len, conn, len);
		memcpy(sess + sess_len + 3, req, len);
		sess_len += 3 + len;
	}
	return 0;
}

static size_t req(uint8_t *b, uint32_t id, uint32_t size)
{
	memset(b, 0, size);
	put32(b, 0, id);
	put32(b, 8, size);
	return size;
}

int main(int argc, char **argv)
{
	uint8_t b[512];
	const char *d;
	int rc = 0;
	FILE *f;
	char path[4096];
	uint8_t c;

	if (argc != 2)
		return 2;
	d = argv[1];
	for (c = 0; c < 2; c++) {
		req(b, 0, 168);			/* JOIN "g" */
		put32(b, 16, 1);
		b[24] = 'g';
		put32(b, 152, 100 + c);
		put32(b, 160, 1);
		rc |= emit(d, c ? "join1" : "join0", c, b, 168);
	}
	req(b, 2, 40 + 5);			/* MCAST */
	put32(b, 24, 1);
	put32(b, 32, 5);
	memcpy(b + 40, "hello", 5);
	rc |= emit(d, "mcast", 0, b, 45);
	req(b, 3, 152);				/* MEMBERSHIP */
	put32(b, 16, 1);
	b[24] = 'g';
	rc |= emit(d, "membership", 0, b, 152);
	rc |= emit(d, "local_get", 0, b, req(b, 4, 16));
	req(b, 5, 160);				/* ITERATIONINITIALIZE */
	put32(b, 16, 1);
	b[24] = 'g';
	put32(b, 152, 3);
	rc |= emit(d, "iter_init", 0, b, 160);
	req(b, 6, 24);
	put64(b, 16, 1);
	rc |= emit(d, "iter_next", 0, b, 24);
	req(b, 7, 24);
	put64(b, 16, 1);
	rc |= emit(d, "iter_finalize", 0, b, 24);
	for (c = 1; c <= 3; c++) {		/* PARTIAL_MCAST first, cont, last */
		char name[16];

		req(b, 12, 56 + 10);
		put32(b, 24, 1);
		put32(b, 32, 30);
		put32(b, 40, 10);
		put32(b, 48, c);
		memset(b + 56, 'p', 10);
		snprintf(name, sizeof(name), "partial%u", c);
		rc |= emit(d, name, 1, b, 66);
	}
	req(b, 9, 152);				/* ZC_ALLOC */
	put64(b, 16, 4096);
	snprintf((char *)b + 24, 128, "/dev/shm/cpgd-fuzz-none");
	rc |= emit(d, "zc_alloc", 0, b, 152);
	req(b, 10, 32);
	put64(b, 16, 4096);
	put64(b, 24, 1);
	rc |= emit(d, "zc_free", 0, b, 32);
	req(b, 11, 24);
	put64(b, 16, 1);
	rc |= emit(d, "zc_execute", 0, b, 24);
	req(b, 1, 160);				/* LEAVE */
	put32(b, 16, 1);
	b[24] = 'g';
	put32(b, 152, 100);
	rc |= emit(d, "leave", 0, b, 160);
	rc |= emit(d, "finalize", 1, b, req(b, 8, 16));
	snprintf(path, sizeof(path), "%s/session", d);
	f = fopen(path, "wb");
	if (!f || fwrite(sess, 1, sess_len, f) != sess_len)
		return 1;
	fclose(f);
	return rc ? 1 : 0;
}
