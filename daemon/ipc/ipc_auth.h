/*
 * Who may connect to the daemon's IPC services.  Root always may, and so
 * may the user the daemon runs as; anyone else only when the configuration
 * names its uid or its (primary) gid in a uidgid section.
 */
#ifndef CPGD_IPC_AUTH_H
#define CPGD_IPC_AUTH_H

#include <stddef.h>
#include <sys/types.h>

struct ipc_auth {
	const uid_t *uids;	/* the lists stay owned by the caller */
	size_t n_uids;
	const gid_t *gids;
	size_t n_gids;
};

/* 1 if a client with these credentials may connect, else 0.  a may be
 * NULL: then only root and the daemon's own user. */
int ipc_auth_allowed(const struct ipc_auth *a, uid_t uid, gid_t gid);

#endif
