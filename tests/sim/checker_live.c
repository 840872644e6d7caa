/*
 * checker_live.c -- liveness after the last fault.
 */
#include "checker_int.h"

void hc_check_liveness(struct hc_chk *c)
{
	(void)c;
}
