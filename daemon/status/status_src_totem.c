/* Counters of the Totem ordering layer; see status_sources.h. */
#include "config.h"

#include "order/order_totem.h"
#include "status/status_sources.h"

int status_src_totem_counters(void *order, struct status_out *out)
{
	struct order_totem_stats st;

	order_totem_stats(order, &st);
	/* deliveries, configurations and flow events come from the tap */
	status_counter(out, "sent_msgs", st.mcast_msgs);
	status_counter(out, "sent_bytes", st.mcast_bytes);
	status_counter(out, "packets_in", st.packets_in);
	status_counter(out, "packets_out", st.packets_out);
	status_counter(out, "token_rotation_us", st.token_rotation_us);
	status_counter(out, "token_rotation_max_us", st.token_rotation_max_us);
	status_counter(out, "token_timeout_us", st.token_timeout_us);
	status_counter(out, "totem_mtu", st.mtu);
	return 0;
}
