/*
 * A thread-safe table that maps 64-bit handles to objects, with reference
 * counts so that an object outlives every call still using it.
 *
 * A handle is (check << 32 | slot): a stale or forged handle fails its
 * check instead of reaching a reused slot.  create() holds one reference
 * for the table; destroy() marks the handle dead (later get()s fail with
 * -EBADF) and drops that reference; the object's destructor runs when the
 * last reference is put, outside the table lock.
 */
#ifndef CPG_HTAB_H
#define CPG_HTAB_H

#include <pthread.h>
#include <stdint.h>

struct cpg_hent {
	uint32_t check;		/* 0: slot free */
	uint32_t refs;
	int dead;
	void *obj;
	void (*destructor)(void *obj);
};

struct cpg_htab {
	pthread_mutex_t lock;
	struct cpg_hent *ents;
	uint32_t n_ents;
	uint32_t next_check;
};

#define CPG_HTAB_INITIALIZER { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0 }

/* -ENOMEM or -EMFILE on failure. */
int cpg_htab_create(struct cpg_htab *t, void *obj,
	void (*destructor)(void *obj), uint64_t *handle);
/* Take a reference: 0 and *obj, or -EBADF. */
int cpg_htab_get(struct cpg_htab *t, uint64_t handle, void **obj);
/* Drop a reference taken by get(). */
void cpg_htab_put(struct cpg_htab *t, uint64_t handle);
/* Kill the handle: 0, or -EBADF when unknown or already dead. */
int cpg_htab_destroy(struct cpg_htab *t, uint64_t handle);
/*
 * Handles of live objects for which match(obj, arg) is true, at most room
 * of them; returns how many.  For cleanup walks.
 */
size_t cpg_htab_find(struct cpg_htab *t, int (*match)(void *obj, void *arg),
	void *arg, uint64_t *handles, size_t room);
/* Free the table itself (all objects must be gone); for tests. */
void cpg_htab_fini(struct cpg_htab *t);

#endif
