/*
 * The configuration examples we ship must be accepted by the parser as
 * they are, without a single notice, and mean what their comments say:
 * init/cpgd.conf.example and the EXAMPLES section of cpgd.conf(5).  Keys
 * that cpgd-keygen writes, at its smallest and largest sizes, must be
 * accepted as key files.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "unit/check_main.h"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static char *src_path(const char *rel)
{
	const char *top = getenv("top_srcdir");
	static char path[4096];

	ck_assert_msg(top != NULL, "top_srcdir is not set");
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return path;
}

/* The first .EX/.EE block after ".SH EXAMPLES", with roff's \- and \e undone. */
static char *man_example(const char *page, size_t *len)
{
	size_t n;
	char *text = read_all(src_path(page), &n);
	char *sec = strstr(text, "\n.SH EXAMPLES\n");
	char *start, *end, *out, *o;

	ck_assert_ptr_nonnull(sec);
	start = strstr(sec, "\n.EX\n");
	ck_assert_ptr_nonnull(start);
	start += strlen("\n.EX\n");
	end = strstr(start, "\n.EE\n");
	ck_assert_ptr_nonnull(end);
	out = o = malloc((size_t)(end - start) + 2);
	ck_assert_ptr_nonnull(out);
	while (start < end) {
		if (start[0] == '\\' && start + 1 < end && (start[1] == '-' || start[1] == 'e')) {
			*o++ = start[1] == '-' ? '-' : '\\';
			start += 2;
		} else {
			*o++ = *start++;
		}
	}
	*o++ = '\n';
	*o = '\0';
	*len = (size_t)(o - out);
	free(text);
	return out;
}

static void assert_three_nodes_two_links(const struct config *cfg, const char *err)
{
	ck_assert_msg(cfg->n_notices == 0, "unexpected notice: %s",
		      cfg->n_notices ? cfg->notices[0].text : "");
	ck_assert_uint_eq(cfg->n_nodes, 3);
	ck_assert_uint_eq(cfg->n_links, 2);
	ck_assert_int_eq(cfg->totem.crypto_cipher, CONFIG_CIPHER_AES256);
	ck_assert_int_eq(cfg->totem.crypto_hash, CONFIG_HASH_SHA256);
	/* what both examples promise: 3000 + (3 - 2) * 650 ms, consensus 1.2x */
	ck_assert_uint_eq(cfg->totem.token, 3650);
	ck_assert_uint_eq(cfg->totem.consensus, 4380);
	ck_assert_uint_eq(cfg->links[0].knet_link_priority, 2);
	ck_assert_uint_eq(cfg->links[1].knet_link_priority, 1);
	for (unsigned i = 0; i < 3; i++) {
		ck_assert_uint_eq(cfg->nodes[i].nodeid, i + 1);
		ck_assert(cfg->nodes[i].addr[0].set);
		ck_assert(cfg->nodes[i].addr[1].set);
	}
	ck_assert(cfg->logging.to_syslog);
	ck_assert_int_eq(cfg->logging.timestamp, CONFIG_TIMESTAMP_ON);
	(void)err;
}

START_TEST(shipped_example_file)
{
	struct config cfg;
	struct err e = { "" };
	int rc = config_load_file(&cfg, src_path("init/cpgd.conf.example"), &e);

	ck_assert_msg(rc == 0, "init/cpgd.conf.example: %s", err_msg(&e, rc));
	assert_three_nodes_two_links(&cfg, e.msg);
	ck_assert_str_eq(cfg.totem.keyfile, "/etc/cpgd/authkey");
	ck_assert(!cfg.logging.to_stderr);
	ck_assert_int_eq(cfg.logging.debug, CONFIG_DEBUG_OFF);
	ck_assert_uint_eq(cfg.n_uids + cfg.n_gids, 0);
	config_free(&cfg);
}
END_TEST

START_TEST(man_page_example)
{
	struct config cfg;
	struct err e = { "" };
	size_t len;
	char *text = man_example("man/cpgd.conf.5", &len);
	int rc = config_parse_buffer(&cfg, "cpgd.conf(5) EXAMPLES", text, len, &e);

	ck_assert_msg(rc == 0, "%s", err_msg(&e, rc));
	assert_three_nodes_two_links(&cfg, e.msg);
	ck_assert_str_eq(cfg.nodes[1].name, "beta");
	config_free(&cfg);
	free(text);
}
END_TEST

/* Runs the built cpgd-keygen, then reads its key as the daemon would. */
static void keygen_then_read(const char *size_opt, size_t want)
{
	const char *top = getenv("top_builddir");
	char dir[] = "/tmp/conf_example_test.XXXXXX";
	char cmd[8192], keyfile[256];
	uint8_t key[8192];
	struct config cfg;
	struct err e = { "" };
	size_t len = 0;
	int rc;

	ck_assert_msg(top != NULL, "top_builddir is not set");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(keyfile, sizeof(keyfile), "%s/authkey", dir);
	snprintf(cmd, sizeof(cmd), "'%s/tools/cpgd-keygen' %s -k '%s' > /dev/null",
		 top, size_opt, keyfile);
	ck_assert_int_eq(system(cmd), 0);

	ck_assert_int_eq(config_default_single_node(&cfg, &e), 0);
	snprintf(cfg.totem.keyfile, sizeof(cfg.totem.keyfile), "%s", keyfile);
	rc = config_read_key(&cfg, key, sizeof(key), &len, &e);
	unlink(keyfile);
	rmdir(dir);
	ck_assert_msg(rc == 0, "%s", err_msg(&e, rc));
	ck_assert_uint_eq(len, want);
	config_free(&cfg);
}

START_TEST(keygen_smallest_key)
{
	keygen_then_read("-l 1024", 128);
}
END_TEST

START_TEST(keygen_largest_key)
{
	keygen_then_read("-s 4096", 4096);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { shipped_example_file, man_page_example,
		keygen_smallest_key, keygen_largest_key, NULL };

	return unit_suite_of("conf_example", "examples", 10, tests);
}
