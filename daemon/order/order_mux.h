/*
 * Several services on one ordering layer, in one total order.
 *
 * The multiplexer takes over the user of one `struct order` (the local
 * sequencer or Totem) and offers each service a `struct order` of its own
 * with the same promises (order.h).  Every message a service multicasts
 * goes out with one leading byte naming the service; at delivery the byte
 * is taken off and the rest goes to that service's user.  Messages of all
 * services therefore share the underlying layer's single agreed order,
 * while no service layer knows of another.  Configuration changes and
 * flow control go to every service, in service order, at the same point
 * of the order.  A hold (order_hold()) asked for by any service holds
 * the underlying layer until every service that asked has let it go.
 *
 *   order_mux_new(base, &mux, &e);
 *   grp_new(order_mux_service(mux, ORDER_MUX_CPG), ..., &cpg, &e);
 *   evs_new(order_mux_service(mux, ORDER_MUX_EVS), ..., &evs, &e);
 *   ...
 *   order_mux_destroy(mux);   after the services, before order_destroy(base)
 *
 * A delivered message with no or an unknown service byte is dropped and
 * counted (order_mux_dropped()).  With the "order" subsystem logged at
 * trace level, every configuration is logged ("mux conf reg|trans ring R:S
 * members A,B,..."), in order with the services' delivery traces ("deliver
 * cpg|evs node N ... head TEXT", subsystems "cpg" and "evs"); tests read
 * these lines.  order_destroy() on a service's order
 * does nothing; the multiplexer owns them.
 */
#ifndef CPGD_ORDER_MUX_H
#define CPGD_ORDER_MUX_H

#include <stdint.h>

#include "order/order.h"

enum order_mux_service {
	ORDER_MUX_CPG = 1,
	ORDER_MUX_EVS = 2,
};
#define ORDER_MUX_FIRST ORDER_MUX_CPG
#define ORDER_MUX_LAST ORDER_MUX_EVS

/* Bytes the multiplexer adds to every message. */
#define ORDER_MUX_TAG_LEN 1

struct order_mux;

/* 0, or -errno with a reason in e (util/err.h). */
struct err;
int order_mux_new(struct order *base, struct order_mux **out, struct err *e);
/* The order of one service (ORDER_MUX_*); NULL for an unknown one. */
struct order *order_mux_service(struct order_mux *m, unsigned service);
/* Messages dropped for want of a known service byte. */
uint64_t order_mux_dropped(const struct order_mux *m);
/* Gives the base its user back (an empty one). */
void order_mux_destroy(struct order_mux *m);

#endif
