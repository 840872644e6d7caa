/*
 * Helpers shared by the config unit tests: parse a string and check the
 * result, the error text (with its FILE:LINE) or a notice.
 */
#ifndef CPGD_CONFIG_TEST_UTIL_H
#define CPGD_CONFIG_TEST_UTIL_H

#include <check.h>
#include <errno.h>
#include <string.h>

#include "config/config.h"

/* Parse `text` as "t.conf"; the test fails with the message if it does not
 * parse. */
#define PARSE_OK(cfg, text) do { \
	struct err e_ = { "" }; \
	int rc_ = config_parse_buffer((cfg), "t.conf", (text), strlen(text), &e_); \
	ck_assert_msg(rc_ == 0, "parse failed (%d): %s", rc_, err_msg(&e_, rc_)); \
} while (0)

/* Expect -EINVAL with an error that starts with `where` ("t.conf:3: ")
 * and contains `what`. */
#define PARSE_ERR(text, where, what) do { \
	struct config c_; \
	struct err e_ = { "" }; \
	int rc_ = config_parse_buffer(&c_, "t.conf", (text), strlen(text), &e_); \
	ck_assert_msg(rc_ == -EINVAL, "expected an error, got %d (%s)", rc_, e_.msg); \
	ck_assert_msg(strncmp(e_.msg, (where), strlen(where)) == 0, \
		      "error '%s' does not start with '%s'", e_.msg, (where)); \
	ck_assert_msg(strstr(e_.msg, (what)) != NULL, \
		      "error '%s' does not mention '%s'", e_.msg, (what)); \
	ck_assert_ptr_null(c_.nodes); \
} while (0)

/* e cleared for one more call, as util/err.h asks of the caller. */
static inline struct err *fresh(struct err *e)
{
	e->msg[0] = '\0';
	return e;
}

/* A nodelist that makes a file valid, for tests about other sections. */
#define NODES1 "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n }\n}\n"

static inline int count_notices(const struct config *cfg, const char *needle,
				enum config_notice_level level)
{
	unsigned i;
	int n = 0;

	for (i = 0; i < cfg->n_notices; i++)
		if (cfg->notices[i].level == level &&
		    strstr(cfg->notices[i].text, needle) != NULL)
			n++;
	return n;
}

#endif
