/* Result codes: internal codes, cs_error_t, libcorosync_common. */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <string.h>

#include "cpg_err.h"
#include "unit/check_main.h"

static const cs_error_t all_cs[] = {
	CS_ERR_LIBRARY, CS_ERR_VERSION, CS_ERR_INIT, CS_ERR_TIMEOUT,
	CS_ERR_TRY_AGAIN, CS_ERR_INVALID_PARAM, CS_ERR_NO_MEMORY,
	CS_ERR_BAD_HANDLE, CS_ERR_BUSY, CS_ERR_ACCESS, CS_ERR_NOT_EXIST,
	CS_ERR_NAME_TOO_LONG, CS_ERR_EXIST, CS_ERR_NO_SPACE, CS_ERR_INTERRUPT,
	CS_ERR_NAME_NOT_FOUND, CS_ERR_NO_RESOURCES, CS_ERR_NOT_SUPPORTED,
	CS_ERR_BAD_OPERATION, CS_ERR_FAILED_OPERATION, CS_ERR_MESSAGE_ERROR,
	CS_ERR_QUEUE_FULL, CS_ERR_QUEUE_NOT_AVAILABLE, CS_ERR_BAD_FLAGS,
	CS_ERR_TOO_BIG, CS_ERR_NO_SECTIONS, CS_ERR_CONTEXT_NOT_FOUND,
	CS_ERR_TOO_MANY_GROUPS, CS_ERR_SECURITY,
};

START_TEST(daemon_codes_round_trip)
{
	ck_assert_int_eq(cpg_err_from_cs(CS_OK), 0);
	ck_assert_int_eq(cpg_err_to_cs(0), CS_OK);
	for (size_t i = 0; i < sizeof(all_cs) / sizeof(all_cs[0]); i++) {
		int err = cpg_err_from_cs(all_cs[i]);

		ck_assert_int_lt(err, 0);
		ck_assert_int_eq(cpg_err_to_cs(err), all_cs[i]);
	}
	/* garbage from a broken peer is a message error, not garbage */
	ck_assert_int_eq(cpg_err_to_cs(cpg_err_from_cs(0)), CS_ERR_MESSAGE_ERROR);
	ck_assert_int_eq(cpg_err_to_cs(cpg_err_from_cs(-5)),
		CS_ERR_MESSAGE_ERROR);
	ck_assert_int_eq(cpg_err_to_cs(cpg_err_from_cs(123456)),
		CS_ERR_MESSAGE_ERROR);
}
END_TEST

START_TEST(errno_codes)
{
	ck_assert_int_eq(cpg_err_to_cs(-EAGAIN), CS_ERR_TRY_AGAIN);
	ck_assert_int_eq(cpg_err_to_cs(-EBADF), CS_ERR_BAD_HANDLE);
	ck_assert_int_eq(cpg_err_to_cs(-EINVAL), CS_ERR_INVALID_PARAM);
	ck_assert_int_eq(cpg_err_to_cs(-ENOMEM), CS_ERR_NO_MEMORY);
	ck_assert_int_eq(cpg_err_to_cs(-ENOTCONN), CS_ERR_LIBRARY);
	ck_assert_int_eq(cpg_err_to_cs(-ECONNREFUSED), CS_ERR_LIBRARY);
	ck_assert_int_eq(cpg_err_to_cs(-EBADMSG), CS_ERR_MESSAGE_ERROR);
	ck_assert_int_eq(cpg_err_to_cs(-E2BIG), CS_ERR_TOO_BIG);
	ck_assert_int_eq(cpg_err_to_cs(-ENAMETOOLONG), CS_ERR_NAME_TOO_LONG);
	ck_assert_int_eq(qb_to_cs_error(0), CS_OK);
	ck_assert_int_eq(qb_to_cs_error(17), CS_OK);
	ck_assert_int_eq(qb_to_cs_error(-ETIMEDOUT), CS_ERR_TIMEOUT);
	ck_assert_int_eq(qb_to_cs_error(-EACCES), CS_ERR_ACCESS);
}
END_TEST

START_TEST(hdb_codes)
{
	ck_assert_int_eq(hdb_error_to_cs(0), CS_OK);
	ck_assert_int_eq(hdb_error_to_cs(-EBADF), CS_ERR_BAD_HANDLE);
	ck_assert_int_eq(hdb_error_to_cs(-ENOMEM), CS_ERR_NO_MEMORY);
	ck_assert_int_eq(hdb_error_to_cs(-EMFILE), CS_ERR_NO_RESOURCES);
	ck_assert_int_eq(hdb_error_to_cs(-EACCES), CS_ERR_ACCESS);
	ck_assert_int_eq(hdb_error_to_cs(-EIO), CS_ERR_LIBRARY);
}
END_TEST

START_TEST(strerror_texts)
{
	const char *known = cs_strerror(CS_ERR_LIBRARY);

	ck_assert_ptr_nonnull(cs_strerror(CS_OK));
	for (size_t i = 0; i < sizeof(all_cs) / sizeof(all_cs[0]); i++) {
		const char *s = cs_strerror(all_cs[i]);

		ck_assert_ptr_nonnull(s);
		ck_assert_str_ne(s, "unknown error");
		/* each code has its own text */
		if (all_cs[i] != CS_ERR_LIBRARY)
			ck_assert_str_ne(s, known);
	}
	ck_assert_str_eq(cs_strerror((cs_error_t)29), "unknown error");
	ck_assert_str_eq(cs_strerror((cs_error_t)-1), "unknown error");
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { daemon_codes_round_trip, errno_codes,
		hdb_codes, strerror_texts, NULL };

	return unit_suite_of("lib_err", "codes", 10, tests);
}
