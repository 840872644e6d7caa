/*
 * libcorosync_common.so.4: result-code helpers shared by the client
 * libraries.  Inputs are libqb results (0 or -errno).
 */
#include <config.h>

#include <errno.h>

#include <corosync/corotypes.h>

cs_error_t qb_to_cs_error(int result)
{
	if (result >= 0)
		return CS_OK;

	switch (-result) {
	case EBADF:
		return CS_ERR_BAD_HANDLE;
	case EINVAL:
		return CS_ERR_INVALID_PARAM;
	case ENOMEM:
		return CS_ERR_NO_MEMORY;
	case EAGAIN:
		return CS_ERR_TRY_AGAIN;
	case ETIMEDOUT:
		return CS_ERR_TIMEOUT;
	case EBUSY:
		return CS_ERR_BUSY;
	case EACCES:
	case EPERM:
		return CS_ERR_ACCESS;
	case ENOENT:
		return CS_ERR_NOT_EXIST;
	case EEXIST:
		return CS_ERR_EXIST;
	case ENAMETOOLONG:
		return CS_ERR_NAME_TOO_LONG;
	case ENOSPC:
		return CS_ERR_NO_SPACE;
	case EINTR:
		return CS_ERR_INTERRUPT;
	case ENOTSUP:
		return CS_ERR_NOT_SUPPORTED;
	case EBADMSG:
		return CS_ERR_MESSAGE_ERROR;
	case E2BIG:
	case EMSGSIZE:
		return CS_ERR_TOO_BIG;
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
		return CS_ERR_NO_RESOURCES;
	default:
		/* lost connection (ENOTCONN, ECONNREFUSED, EPIPE, ...) and
		 * anything unexpected */
		return CS_ERR_LIBRARY;
	}
}

cs_error_t hdb_error_to_cs(int res)
{
	if (res == 0)
		return CS_OK;

	switch (-res) {
	case EBADF:
		return CS_ERR_BAD_HANDLE;
	case ENOMEM:
		return CS_ERR_NO_MEMORY;
	case EMFILE:
		return CS_ERR_NO_RESOURCES;
	case EACCES:
		return CS_ERR_ACCESS;
	default:
		return CS_ERR_LIBRARY;
	}
}

const char *cs_strerror(cs_error_t err)
{
	switch (err) {
	case CS_OK: return "success";
	case CS_ERR_LIBRARY: return "library error (no connection to the daemon)";
	case CS_ERR_VERSION: return "version mismatch";
	case CS_ERR_INIT: return "initialisation failed";
	case CS_ERR_TIMEOUT: return "timed out";
	case CS_ERR_TRY_AGAIN: return "resource temporarily unavailable, try again";
	case CS_ERR_INVALID_PARAM: return "invalid argument";
	case CS_ERR_NO_MEMORY: return "out of memory";
	case CS_ERR_BAD_HANDLE: return "invalid handle";
	case CS_ERR_BUSY: return "busy";
	case CS_ERR_ACCESS: return "access denied";
	case CS_ERR_NOT_EXIST: return "does not exist";
	case CS_ERR_NAME_TOO_LONG: return "name too long";
	case CS_ERR_EXIST: return "already exists";
	case CS_ERR_NO_SPACE: return "not enough space";
	case CS_ERR_INTERRUPT: return "interrupted";
	case CS_ERR_NAME_NOT_FOUND: return "name not found";
	case CS_ERR_NO_RESOURCES: return "out of resources";
	case CS_ERR_NOT_SUPPORTED: return "not supported";
	case CS_ERR_BAD_OPERATION: return "operation not allowed";
	case CS_ERR_FAILED_OPERATION: return "operation failed";
	case CS_ERR_MESSAGE_ERROR: return "malformed message";
	case CS_ERR_QUEUE_FULL: return "queue full";
	case CS_ERR_QUEUE_NOT_AVAILABLE: return "queue not available";
	case CS_ERR_BAD_FLAGS: return "invalid flags";
	case CS_ERR_TOO_BIG: return "too big";
	case CS_ERR_NO_SECTIONS: return "no more entries";
	case CS_ERR_CONTEXT_NOT_FOUND: return "context not found";
	case CS_ERR_TOO_MANY_GROUPS: return "too many groups";
	case CS_ERR_SECURITY: return "security error";
	}
	return "unknown error";
}
