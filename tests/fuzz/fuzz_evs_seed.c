/* Writes one seed input per EVS request id for fuzz_evs (a record as
 * fuzz_evs.c reads them), into the directory named on the command line. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_seed.h"

int main(int argc, char **argv)
{
	uint8_t b[256];
	int rc = 0;

	if (argc != 2)
		return 1;
	/* JOIN of two groups, by connection 0 */
	memset(b, 0, sizeof(b));
	put32(b, 0, 0); put32(b, 8, 24 + 64); put32(b, 16, 2);
	b[24] = 'a'; b[56] = 'b';
	rc |= seed_file(argv[1], "join", 0x20, b, 24 + 64);
	/* LEAVE of one */
	put32(b, 0, 1); put32(b, 8, 24 + 32); put32(b, 16, 1);
	rc |= seed_file(argv[1], "leave", 0, b, 24 + 32);
	/* MCAST to group "a", whole, 5 bytes */
	memset(b, 0, sizeof(b));
	put32(b, 0, 2); put32(b, 8, 40 + 32 + 5); put32(b, 16, 2);
	put32(b, 24, 1); put32(b, 32, 5); put32(b, 36, 5);
	b[40] = 'a';
	memcpy(b + 72, "hello", 5);
	rc |= seed_file(argv[1], "mcast", 1, b, 40 + 32 + 5);
	/* MCAST first fragment of 10 bytes */
	put32(b, 28, 1); put32(b, 32, 10);
	rc |= seed_file(argv[1], "frag", 2, b, 40 + 32 + 5);
	/* MCAST to the joined groups */
	memset(b, 0, sizeof(b));
	put32(b, 0, 2); put32(b, 8, 40 + 3); put32(b, 16, 3); put32(b, 20, 1);
	put32(b, 32, 3); put32(b, 36, 3);
	memcpy(b + 40, "xyz", 3);
	rc |= seed_file(argv[1], "joined", 0, b, 43);
	/* MEMBERSHIP, FINALIZE */
	memset(b, 0, sizeof(b));
	put32(b, 0, 3); put32(b, 8, 16);
	rc |= seed_file(argv[1], "membership", 0x23, b, 16);
	put32(b, 0, 4);
	rc |= seed_file(argv[1], "finalize", 0x43, b, 16);
	return rc;
}
