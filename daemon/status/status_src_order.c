/* Counters of the ordering layer; see status_sources.h. */
#include "config.h"

#include <stddef.h>

#include "order/order.h"
#include "status/status_sources.h"

#define OS(name, f) { name, offsetof(struct order_stats, f) }

static const struct status_field order_fields[] = {
	OS("sent_msgs", mcast_msgs),
	OS("sent_bytes", mcast_bytes),
	OS("packets_in", packets_in),
	OS("packets_out", packets_out),
	OS("token_rotation_us", token_rotation_us),
	OS("token_rotation_max_us", token_rotation_max_us),
	OS("token_timeout_us", token_timeout_us),
	OS("totem_mtu", mtu),
	OS("totem_backlog_msgs", backlog_msgs),
	OS("totem_backlog_bytes", backlog_bytes),
};

int status_src_order_counters(void *order, struct status_out *out)
{
	struct order_stats st;

	/* an implementation without counters (the one-node sequencer)
	 * adds none; deliveries, configurations and flow events come from
	 * the tap */
	if (order_stats(order, &st) < 0)
		return 0;
	status_counter_fields(out, order_fields,
			      sizeof(order_fields) / sizeof(order_fields[0]), &st);
	return 0;
}
