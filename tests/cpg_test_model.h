/* cpg_test_model.h: the CPG handle most test clients open, model v1 with
 * every callback and the initial totem configuration, and its context.
 * Header only, for programs built against this tree's libcpg or
 * corosync's. */
#ifndef CPGD_TESTS_CPG_TEST_MODEL_H
#define CPGD_TESTS_CPG_TEST_MODEL_H

#include <corosync/cpg.h>

/* cpg_model_initialize() of a CPG_MODEL_V1 handle with these callbacks,
 * CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF, and context ctx. */
static inline cs_error_t test_model_v1(cpg_handle_t *h,
	cpg_deliver_fn_t deliver, cpg_confchg_fn_t confchg,
	cpg_totem_confchg_fn_t totem, void *ctx)
{
	cpg_model_v1_data_t model = {
		.model = CPG_MODEL_V1,
		.cpg_deliver_fn = deliver,
		.cpg_confchg_fn = confchg,
		.cpg_totem_confchg_fn = totem,
		.flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF,
	};

	return cpg_model_initialize(h, CPG_MODEL_V1,
		(cpg_model_data_t *)&model, ctx);
}

/* The context of h (cpg_context_get()): NULL when it has none or h is no
 * handle. */
static inline void *test_ctx(cpg_handle_t h)
{
	void *ctx = NULL;

	if (cpg_context_get(h, &ctx) != CS_OK)
		return NULL;
	return ctx;
}

#endif
