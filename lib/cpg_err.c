#include <config.h>

#include "cpg_err.h"

int cpg_err_from_cs(int cs)
{
	if (cs == CS_OK)
		return 0;
	if (cs <= 0 || cs > 1000)
		/* not a cs_error_t at all: the peer is broken */
		return -(CPG_ERR_CS_BASE + CS_ERR_MESSAGE_ERROR);
	return -(CPG_ERR_CS_BASE + cs);
}

cs_error_t cpg_err_to_cs(int err)
{
	if (err <= -CPG_ERR_CS_BASE)
		return (cs_error_t)(-err - CPG_ERR_CS_BASE);
	return qb_to_cs_error(err);
}
