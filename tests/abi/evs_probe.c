/*
 * Prints the size, member offsets and constant values of every public type
 * of <corosync/evs.h>, one "name value" line each, for evs_abi.sh to
 * compare with corosync 1.4's (evs_abi.txt).
 */
#include <stddef.h>
#include <stdio.h>

#include <corosync/corotypes.h>
#include <corosync/evs.h>

#define P(name, v) printf("%s %lu\n", name, (unsigned long)(v))

int main(void)
{
	P("sizeof(evs_handle_t)", sizeof(evs_handle_t));
	P("sizeof(hdb_handle_t)", sizeof(hdb_handle_t));
	P("sizeof(evs_guarantee_t)", sizeof(evs_guarantee_t));
	P("EVS_TYPE_UNORDERED", EVS_TYPE_UNORDERED);
	P("EVS_TYPE_FIFO", EVS_TYPE_FIFO);
	P("EVS_TYPE_AGREED", EVS_TYPE_AGREED);
	P("EVS_TYPE_SAFE", EVS_TYPE_SAFE);
	P("EVS_OK", EVS_OK);
	P("sizeof(evs_error_t)", sizeof(evs_error_t));
	P("TOTEMIP_ADDRLEN", TOTEMIP_ADDRLEN);
	P("sizeof(struct evs_group)", sizeof(struct evs_group));
	P("offsetof(struct evs_group, key)", offsetof(struct evs_group, key));
	P("sizeof(struct evs_ring_id)", sizeof(struct evs_ring_id));
	P("offsetof(struct evs_ring_id, nodeid)",
	  offsetof(struct evs_ring_id, nodeid));
	P("offsetof(struct evs_ring_id, seq)",
	  offsetof(struct evs_ring_id, seq));
	P("sizeof(evs_callbacks_t)", sizeof(evs_callbacks_t));
	P("offsetof(evs_callbacks_t, evs_deliver_fn)",
	  offsetof(evs_callbacks_t, evs_deliver_fn));
	P("offsetof(evs_callbacks_t, evs_confchg_fn)",
	  offsetof(evs_callbacks_t, evs_confchg_fn));
	return 0;
}
