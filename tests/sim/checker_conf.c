/*
 * checker_conf.c -- properties of configurations: consistency, virtual
 * synchrony (failure atomicity) and safe delivery.
 */
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"

void hc_check_config(struct hc_chk *c)
{
	(void)c;
}

void hc_check_vs(struct hc_chk *c)
{
	(void)c;
}

void hc_check_safe(struct hc_chk *c)
{
	(void)c;
}
