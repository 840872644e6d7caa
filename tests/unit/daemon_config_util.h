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
	char err_[CONFIG_ERR_MAX]; \
	int rc_ = config_parse_buffer((cfg), "t.conf", (text), strlen(text), \
				      err_, sizeof(err_)); \
	ck_assert_msg(rc_ == 0, "parse failed (%d): %s", rc_, err_); \
} while (0)

/* Expect -EINVAL with an error that starts with `where` ("t.conf:3: ")
 * and contains `what`. */
#define PARSE_ERR(text, where, what) do { \
	struct config c_; \
	char err_[CONFIG_ERR_MAX]; \
	int rc_ = config_parse_buffer(&c_, "t.conf", (text), strlen(text), \
				      err_, sizeof(err_)); \
	ck_assert_msg(rc_ == -EINVAL, "expected an error, got %d (%s)", rc_, err_); \
	ck_assert_msg(strncmp(err_, (where), strlen(where)) == 0, \
		      "error '%s' does not start with '%s'", err_, (where)); \
	ck_assert_msg(strstr(err_, (what)) != NULL, \
		      "error '%s' does not mention '%s'", err_, (what)); \
	ck_assert_ptr_null(c_.nodes); \
} while (0)

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
