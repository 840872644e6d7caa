/* Counters of the ordering layer; see status_sources.h. */
#include "config.h"

#include "order/order.h"
#include "status/status_sources.h"

int status_src_order_counters(void *order, struct status_out *out)
{
	struct order_stats st;

	/* an implementation without counters (the one-node sequencer)
	 * adds none; deliveries, configurations and flow events come from
	 * the tap */
	if (order_stats(order, &st) < 0)
		return 0;
	status_counter(out, "sent_msgs", st.mcast_msgs);
	status_counter(out, "sent_bytes", st.mcast_bytes);
	status_counter(out, "packets_in", st.packets_in);
	status_counter(out, "packets_out", st.packets_out);
	status_counter(out, "token_rotation_us", st.token_rotation_us);
	status_counter(out, "token_rotation_max_us", st.token_rotation_max_us);
	status_counter(out, "token_timeout_us", st.token_timeout_us);
	status_counter(out, "totem_mtu", st.mtu);
	status_counter(out, "totem_backlog_msgs", st.backlog_msgs);
	status_counter(out, "totem_backlog_bytes", st.backlog_bytes);
	return 0;
}
