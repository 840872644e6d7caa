/*
 * corotypes.h - types shared by the corosync-compatible client libraries:
 * the cs_error_t result codes, dispatch flags and small helpers.
 *
 * The layout of everything here is part of the ABI of libcpg.so.4 and
 * libcorosync_common.so.4 and must not change.
 */
#ifndef COROTYPES_H_DEFINED
#define COROTYPES_H_DEFINED

#include <stdint.h>
#include <errno.h>
#include <time.h>
#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A point in time or a duration, in nanoseconds. */
typedef int64_t cs_time_t;

#define CS_FALSE 0
#define CS_TRUE !CS_FALSE
#define CS_MAX_NAME_LENGTH 256
#define CS_TIME_END    ((cs_time_t)0x7FFFFFFFFFFFFFFFULL)
#define CS_MAX(x, y) (((x) > (y)) ? (x) : (y))

/* printf formats for node ids and ring ids (need <inttypes.h>). */
#define CS_PRI_NODE_ID		"%" PRIu32
#define CS_PRI_NODE_ID_PADDED	"%10" PRIu32
#define CS_PRI_RING_ID_SEQ	"%" PRIx64
#define CS_PRI_RING_ID		"%" PRIx32 ".%" PRIx64

/* A counted name of up to CS_MAX_NAME_LENGTH bytes. */
typedef struct {
   uint16_t length;
   uint8_t value[CS_MAX_NAME_LENGTH];
} cs_name_t;

/* A protocol version triple. */
typedef struct {
   char releaseCode;
   unsigned char majorVersion;
   unsigned char minorVersion;
} cs_version_t;

/* How much a *_dispatch() call processes before it returns. */
typedef enum {
	CS_DISPATCH_ONE = 1,		/* wait for one callback, run it */
	CS_DISPATCH_ALL = 2,		/* run what is pending, never wait */
	CS_DISPATCH_BLOCKING = 3,	/* run callbacks until finalized */
	CS_DISPATCH_ONE_NONBLOCKING = 4	/* run one if pending, never wait */
} cs_dispatch_flags_t;

#define CS_TRACK_CURRENT 0x01
#define CS_TRACK_CHANGES 0x02
#define CS_TRACK_CHANGES_ONLY 0x04

/* Result of every library call; CS_OK is 1, not 0. */
typedef enum {
   CS_OK = 1,
   CS_ERR_LIBRARY = 2,
   CS_ERR_VERSION = 3,
   CS_ERR_INIT = 4,
   CS_ERR_TIMEOUT = 5,
   CS_ERR_TRY_AGAIN = 6,
   CS_ERR_INVALID_PARAM = 7,
   CS_ERR_NO_MEMORY = 8,
   CS_ERR_BAD_HANDLE = 9,
   CS_ERR_BUSY = 10,
   CS_ERR_ACCESS = 11,
   CS_ERR_NOT_EXIST = 12,
   CS_ERR_NAME_TOO_LONG = 13,
   CS_ERR_EXIST = 14,
   CS_ERR_NO_SPACE = 15,
   CS_ERR_INTERRUPT = 16,
   CS_ERR_NAME_NOT_FOUND = 17,
   CS_ERR_NO_RESOURCES = 18,
   CS_ERR_NOT_SUPPORTED = 19,
   CS_ERR_BAD_OPERATION = 20,
   CS_ERR_FAILED_OPERATION = 21,
   CS_ERR_MESSAGE_ERROR = 22,
   CS_ERR_QUEUE_FULL = 23,
   CS_ERR_QUEUE_NOT_AVAILABLE = 24,
   CS_ERR_BAD_FLAGS = 25,
   CS_ERR_TOO_BIG = 26,
   CS_ERR_NO_SECTIONS = 27,
   CS_ERR_CONTEXT_NOT_FOUND = 28,
   CS_ERR_TOO_MANY_GROUPS = 30,
   CS_ERR_SECURITY = 100
} cs_error_t;

/* IPC calls wait without a time limit. */
#define CS_IPC_TIMEOUT_MS -1

#define CS_TIME_MS_IN_SEC   1000ULL
#define CS_TIME_US_IN_SEC   1000000ULL
#define CS_TIME_NS_IN_SEC   1000000000ULL
#define CS_TIME_US_IN_MSEC  1000ULL
#define CS_TIME_NS_IN_MSEC  1000000ULL
#define CS_TIME_NS_IN_USEC  1000ULL

/* Nanoseconds from an arbitrary start; monotonic where the system has it. */
static inline uint64_t cs_timestamp_get(void)
{
#if defined _POSIX_MONOTONIC_CLOCK && _POSIX_MONOTONIC_CLOCK >= 0
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * CS_TIME_NS_IN_SEC + (uint64_t)now.tv_nsec;
#else
	struct timeval now;

	gettimeofday(&now, 0);
	return (uint64_t)now.tv_sec * CS_TIME_NS_IN_SEC +
		(uint64_t)now.tv_usec * CS_TIME_NS_IN_USEC;
#endif
}

/* Map a libqb result (0 or -errno) to a cs_error_t. */
cs_error_t qb_to_cs_error (int result);

/* A static English text for a cs_error_t; never NULL. */
const char * cs_strerror(cs_error_t err);

/* Map a libqb handle-database result (0 or -errno) to a cs_error_t. */
cs_error_t hdb_error_to_cs (int res);

#ifdef __cplusplus
}
#endif

#endif /* COROTYPES_H_DEFINED */
