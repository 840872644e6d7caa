/* The handle table: lookups, life cycle, concurrent use from threads. */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cpg_htab.h"
#include "unit/check_main.h"

static atomic_int destroyed;

static void count_destroy(void *obj)
{
	atomic_fetch_add(&destroyed, 1);
	free(obj);
}

START_TEST(create_get_put_destroy)
{
	struct cpg_htab t = CPG_HTAB_INITIALIZER;
	uint64_t h;
	void *obj = NULL;
	int *x = malloc(sizeof(*x));

	atomic_store(&destroyed, 0);
	ck_assert_int_eq(cpg_htab_create(&t, x, count_destroy, &h), 0);
	ck_assert_uint_ne(h, 0);
	ck_assert_int_eq(cpg_htab_get(&t, h, &obj), 0);
	ck_assert_ptr_eq(obj, x);
	/* destroy with a reference out: the object waits for its put */
	ck_assert_int_eq(cpg_htab_destroy(&t, h), 0);
	ck_assert_int_eq(atomic_load(&destroyed), 0);
	ck_assert_int_eq(cpg_htab_get(&t, h, &obj), -EBADF);
	ck_assert_int_eq(cpg_htab_destroy(&t, h), -EBADF);
	cpg_htab_put(&t, h);
	ck_assert_int_eq(atomic_load(&destroyed), 1);
	/* gone for good: every call refuses it */
	ck_assert_int_eq(cpg_htab_get(&t, h, &obj), -EBADF);
	cpg_htab_put(&t, h);
	ck_assert_int_eq(atomic_load(&destroyed), 1);
	cpg_htab_fini(&t);
}
END_TEST

START_TEST(stale_and_forged_handles)
{
	struct cpg_htab t = CPG_HTAB_INITIALIZER;
	uint64_t h1, h2;
	void *obj;

	atomic_store(&destroyed, 0);
	ck_assert_int_eq(cpg_htab_create(&t, malloc(1), count_destroy, &h1), 0);
	ck_assert_int_eq(cpg_htab_destroy(&t, h1), 0);
	ck_assert_int_eq(cpg_htab_create(&t, malloc(1), count_destroy, &h2), 0);
	/* the slot is reused, the handle is not */
	ck_assert_uint_eq((uint32_t)h1, (uint32_t)h2);
	ck_assert_uint_ne(h1, h2);
	ck_assert_int_eq(cpg_htab_get(&t, h1, &obj), -EBADF);
	ck_assert_int_eq(cpg_htab_get(&t, 0, &obj), -EBADF);
	ck_assert_int_eq(cpg_htab_get(&t, h2 ^ (1ULL << 40), &obj), -EBADF);
	ck_assert_int_eq(cpg_htab_get(&t, h2 + 1000, &obj), -EBADF);
	ck_assert_int_eq(cpg_htab_get(&t, ~0ULL, &obj), -EBADF);
	ck_assert_int_eq(cpg_htab_get(&t, h2, &obj), 0);
	cpg_htab_put(&t, h2);
	ck_assert_int_eq(cpg_htab_destroy(&t, h2), 0);
	ck_assert_int_eq(atomic_load(&destroyed), 2);
	cpg_htab_fini(&t);
}
END_TEST

static int is_even(void *obj, void *arg)
{
	(void)arg;
	return *(int *)obj % 2 == 0;
}

START_TEST(many_and_find)
{
	struct cpg_htab t = CPG_HTAB_INITIALIZER;
	uint64_t h[100], found[100];
	size_t n;

	atomic_store(&destroyed, 0);
	for (int i = 0; i < 100; i++) {
		int *x = malloc(sizeof(*x));

		*x = i;
		ck_assert_int_eq(cpg_htab_create(&t, x, count_destroy, &h[i]), 0);
	}
	for (int i = 0; i < 100; i++) {
		void *obj;

		ck_assert_int_eq(cpg_htab_get(&t, h[i], &obj), 0);
		ck_assert_int_eq(*(int *)obj, i);
		cpg_htab_put(&t, h[i]);
	}
	n = cpg_htab_find(&t, is_even, NULL, found, 100);
	ck_assert_uint_eq(n, 50);
	ck_assert_uint_eq(cpg_htab_find(&t, is_even, NULL, found, 7), 7);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(cpg_htab_destroy(&t, h[i]), 0);
	ck_assert_int_eq(atomic_load(&destroyed), 100);
	ck_assert_uint_eq(cpg_htab_find(&t, is_even, NULL, found, 100), 0);
	cpg_htab_fini(&t);
}
END_TEST

struct shared {
	struct cpg_htab *t;
	uint64_t h;
	atomic_int gets;
};

/* Each thread churns handles of its own and hammers a shared one. */
static void *churn(void *arg)
{
	struct shared *sh = arg;

	for (int i = 0; i < 20000; i++) {
		uint64_t mine;
		void *obj;

		if (cpg_htab_create(sh->t, malloc(1), count_destroy, &mine) < 0)
			abort();
		if (cpg_htab_get(sh->t, mine, &obj) < 0)
			abort();
		cpg_htab_put(sh->t, mine);
		if (cpg_htab_destroy(sh->t, mine) < 0)
			abort();
		if (cpg_htab_get(sh->t, sh->h, &obj) == 0) {
			atomic_fetch_add(&sh->gets, 1);
			/* the object stays alive while we hold it */
			if (*(volatile int *)obj != 42)
				abort();
			cpg_htab_put(sh->t, sh->h);
		}
	}
	return NULL;
}

START_TEST(threads)
{
	struct cpg_htab t = CPG_HTAB_INITIALIZER;
	struct shared sh = { .t = &t };
	pthread_t th[4];
	int *x = malloc(sizeof(*x));

	*x = 42;
	atomic_store(&destroyed, 0);
	ck_assert_int_eq(cpg_htab_create(&t, x, count_destroy, &sh.h), 0);
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, churn, &sh);
	/* kill the shared handle while the threads use it */
	while (atomic_load(&sh.gets) < 1000)
		sched_yield();
	ck_assert_int_eq(cpg_htab_destroy(&t, sh.h), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	ck_assert_int_eq(atomic_load(&destroyed), 4 * 20000 + 1);
	cpg_htab_fini(&t);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { create_get_put_destroy,
		stale_and_forged_handles, many_and_find, threads, NULL };

	return unit_suite_of("lib_htab", "htab", 30, tests);
}
