#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cpg_htab.h"

#define SLOTS_MAX (1u << 20)

static struct cpg_hent *lookup(struct cpg_htab *t, uint64_t handle)
{
	uint32_t slot = (uint32_t)handle;
	uint32_t check = (uint32_t)(handle >> 32);
	struct cpg_hent *e;

	if (slot >= t->n_ents || check == 0)
		return NULL;
	e = &t->ents[slot];
	if (e->check != check)
		return NULL;
	return e;
}

static uint32_t new_check(struct cpg_htab *t)
{
	if (t->next_check == 0) {
		/* differ between processes so handles are not guessable */
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		t->next_check = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16);
	}
	t->next_check++;
	if (t->next_check == 0)
		t->next_check = 1;
	return t->next_check;
}

int cpg_htab_create(struct cpg_htab *t, void *obj,
	void (*destructor)(void *obj), uint64_t *handle)
{
	uint32_t slot;
	int rc = 0;

	pthread_mutex_lock(&t->lock);
	for (slot = 0; slot < t->n_ents; slot++)
		if (t->ents[slot].check == 0)
			break;
	if (slot == t->n_ents) {
		uint32_t n = t->n_ents ? t->n_ents * 2 : 8;
		struct cpg_hent *ents;

		if (t->n_ents >= SLOTS_MAX) {
			rc = -EMFILE;
			goto out;
		}
		ents = realloc(t->ents, n * sizeof(*ents));
		if (!ents) {
			rc = -ENOMEM;
			goto out;
		}
		for (uint32_t i = t->n_ents; i < n; i++)
			ents[i] = (struct cpg_hent){ 0 };
		t->ents = ents;
		t->n_ents = n;
	}
	t->ents[slot] = (struct cpg_hent){
		.check = new_check(t),
		.refs = 1,
		.obj = obj,
		.destructor = destructor,
	};
	*handle = ((uint64_t)t->ents[slot].check << 32) | slot;
out:
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int cpg_htab_get(struct cpg_htab *t, uint64_t handle, void **obj)
{
	struct cpg_hent *e;
	int rc = -EBADF;

	pthread_mutex_lock(&t->lock);
	e = lookup(t, handle);
	if (e && !e->dead) {
		e->refs++;
		*obj = e->obj;
		rc = 0;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

/* Drop one reference with the lock held; returns the entry to free. */
static int unref(struct cpg_hent *e, void **obj, void (**destructor)(void *))
{
	if (--e->refs > 0)
		return 0;
	*obj = e->obj;
	*destructor = e->destructor;
	*e = (struct cpg_hent){ 0 };
	return 1;
}

void cpg_htab_put(struct cpg_htab *t, uint64_t handle)
{
	struct cpg_hent *e;
	void *obj = NULL;
	void (*destructor)(void *) = NULL;
	int last = 0;

	pthread_mutex_lock(&t->lock);
	e = lookup(t, handle);
	if (e && e->refs > 0)
		last = unref(e, &obj, &destructor);
	pthread_mutex_unlock(&t->lock);
	if (last && destructor)
		destructor(obj);
}

int cpg_htab_destroy(struct cpg_htab *t, uint64_t handle)
{
	struct cpg_hent *e;
	void *obj = NULL;
	void (*destructor)(void *) = NULL;
	int last = 0, rc = -EBADF;

	pthread_mutex_lock(&t->lock);
	e = lookup(t, handle);
	if (e && !e->dead) {
		e->dead = 1;
		last = unref(e, &obj, &destructor);
		rc = 0;
	}
	pthread_mutex_unlock(&t->lock);
	if (last && destructor)
		destructor(obj);
	return rc;
}

size_t cpg_htab_find(struct cpg_htab *t, int (*match)(void *obj, void *arg),
	void *arg, uint64_t *handles, size_t room)
{
	size_t n = 0;

	pthread_mutex_lock(&t->lock);
	for (uint32_t slot = 0; slot < t->n_ents && n < room; slot++) {
		struct cpg_hent *e = &t->ents[slot];

		if (e->check && !e->dead && match(e->obj, arg))
			handles[n++] = ((uint64_t)e->check << 32) | slot;
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}

void cpg_htab_fini(struct cpg_htab *t)
{
	free(t->ents);
	t->ents = NULL;
	t->n_ents = 0;
}
