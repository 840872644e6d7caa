/* The local EVS clients and their groups; see status_sources.h. */
#include "config.h"

#include "evs/evs.h"
#include "status/status_sources.h"

static int one_client(void *arg, uint32_t pid, const uint8_t *groups,
		      size_t n_groups)
{
	status_evs_client(arg, pid, groups, n_groups);
	return 0;
}

int status_src_evs_clients(void *arg, struct status_out *out)
{
	return evs_clients_walk(arg, one_client, out);
}
