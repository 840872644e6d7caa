/* Connection credentials against the uidgid lists; see ipc_auth.h. */
#include "config.h"

#include <unistd.h>

#include "ipc/ipc_auth.h"

int ipc_auth_allowed(const struct ipc_auth *a, uid_t uid, gid_t gid)
{
	size_t i;

	if (uid == 0 || uid == geteuid())
		return 1;
	if (!a)
		return 0;
	for (i = 0; i < a->n_uids; i++)
		if (a->uids[i] == uid)
			return 1;
	for (i = 0; i < a->n_gids; i++)
		if (a->gids[i] == gid)
			return 1;
	return 0;
}
