/*
 * Value converters.  Strict: a number is decimal digits only, a boolean
 * one of yes/no/on/off, an enum one of its names; anything else is an
 * error naming the key and the accepted values.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "config/config_int.h"

static int parse_u64(const char *v, uint64_t *out)
{
	uint64_t n = 0;

	if (*v == '\0')
		return -EINVAL;
	for (; *v != '\0'; v++) {
		unsigned d;

		if (*v < '0' || *v > '9')
			return -EINVAL;
		d = (unsigned)(*v - '0');
		if (n > (UINT64_MAX - d) / 10)
			return -EINVAL;
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

int cfg_u32(struct cfg_ctx *x, const char *key, const char *v,
	    uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t n;

	if (parse_u64(v, &n) < 0 || n < min || n > max)
		return cfg_error(x, "%s: expected an integer in %u..%u, got '%.64s'",
				 key, min, max, v);
	*out = (uint32_t)n;
	return 0;
}

int cfg_u64(struct cfg_ctx *x, const char *key, const char *v, uint64_t *out)
{
	if (parse_u64(v, out) < 0)
		return cfg_error(x, "%s: expected an unsigned 64-bit integer, got '%.64s'",
				 key, v);
	return 0;
}

int cfg_int(struct cfg_ctx *x, const char *key, const char *v,
	    int min, int max, int *out)
{
	uint64_t n;
	bool neg = (v[0] == '-');
	int64_t val;

	if (parse_u64(neg ? v + 1 : v, &n) < 0 || n > (uint64_t)INT32_MAX + 1)
		goto bad;
	val = neg ? -(int64_t)n : (int64_t)n;
	if (val < min || val > max)
		goto bad;
	*out = (int)val;
	return 0;
bad:
	return cfg_error(x, "%s: expected an integer in %d..%d, got '%.64s'",
			 key, min, max, v);
}

int cfg_bool(struct cfg_ctx *x, const char *key, const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(v, "no") == 0 || strcmp(v, "off") == 0) {
		*out = false;
		return 0;
	}
	return cfg_error(x, "%s: expected yes/no/on/off, got '%.64s'", key, v);
}

int cfg_enum(struct cfg_ctx *x, const char *key, const char *v,
	     const char *const *names, int *out)
{
	char list[256];
	size_t used = 0;
	int i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(v, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; names[i] != NULL && used < sizeof(list); i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
				 i ? ", " : "", names[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return cfg_error(x, "%s: '%.64s' is not one of %s", key, v, list);
}

int cfg_str(struct cfg_ctx *x, const char *key, const char *v,
	    char *dst, size_t dstlen)
{
	size_t len = strlen(v);

	if (len >= dstlen)
		return cfg_error(x, "%s: value longer than %zu bytes", key, dstlen - 1);
	memcpy(dst, v, len + 1);
	return 0;
}

int cfg_addr_numeric(const char *text, struct sockaddr_storage *sa,
		     socklen_t *salen)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, text, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		*salen = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		*salen = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

bool cfg_addr_equal(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)a;
	const struct sockaddr_in *b4 = (const struct sockaddr_in *)b;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr)) == 0;
	return false;
}

void cfg_addr_format(const struct sockaddr_storage *sa, char *buf, size_t len)
{
	const void *p = NULL;

	if (sa->ss_family == AF_INET)
		p = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->ss_family == AF_INET6)
		p = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (p == NULL || inet_ntop(sa->ss_family, p, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}
