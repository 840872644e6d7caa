/* A program of someone else's, for the install tests (destdir.sh,
 * pkg_root.sh): only <corosync/cpg.h> and -lcpg; prints "nodeid N". */
#include <stdio.h>
#include <corosync/cpg.h>

int main(void)
{
	cpg_handle_t h;
	unsigned int id = 0;
	cpg_callbacks_t cb = { 0 };

	if (cpg_initialize(&h, &cb) != CS_OK || cpg_local_get(h, &id) != CS_OK)
		return 1;
	printf("nodeid %u\n", id);
	return cpg_finalize(h) == CS_OK ? 0 : 1;
}
