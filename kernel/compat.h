/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels vfpool supports (6.1 .. current), kept in
 * this one header (and compat.c, compat-gen.h) so no other file carries a
 * version check.
 */
#ifndef _VFPOOL_COMPAT_H
#define _VFPOOL_COMPAT_H

#include <linux/version.h>
#include <linux/netlink.h>
#include <net/genetlink.h>

/*
 * Before 6.2 the extended ack holds only a pointer to a message, read when
 * the ack is built after the handler returned, so a formatted message
 * needs storage of the request's own that outlives the handler.  compat.c
 * wraps every do and dump handler to lend each request such a buffer,
 * found by the request's extack; the texts are cut where 6.2+ cuts them
 * (NETLINK_MAX_FMTMSG_LEN), so both kernels send the same bytes.
 */
#ifndef NL_SET_ERR_MSG_FMT
void vfpool_compat_fmt(struct netlink_ext_ack *extack, const char *fmt, ...)
	__printf(2, 3);

#define NL_SET_ERR_MSG_FMT(extack, fmt, args...)			\
	vfpool_compat_fmt((extack), fmt, ##args)
#endif

#ifndef NL_SET_ERR_MSG_ATTR_FMT
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...) do {	\
	struct netlink_ext_ack *__e2 = (extack);			\
	NL_SET_ERR_MSG_FMT(__e2, fmt, ##args);				\
	if (__e2)							\
		__e2->bad_attr = (attr);				\
} while (0)
#endif

/* A dump's typed context must fit netlink_callback.ctx (6.7+ checks). */
#ifndef NL_ASSERT_DUMP_CTX_FITS
#define NL_ASSERT_DUMP_CTX_FITS(type_name)				\
	BUILD_BUG_ON(sizeof(type_name) >				\
		     sizeof_field(struct netlink_callback, ctx))
#endif

static inline struct nlattr **vfpool_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
	return genl_dumpit_info(cb)->attrs;
#else
	return genl_info_dump(cb)->attrs;
#endif
}

/*
 * The struct pid behind a pidfd (referenced), or an ERR_PTR.  pidfd_pid()
 * is not exported; see compat.c for how a pidfd is recognised.
 */
struct pid *vfpool_compat_pidfd_pid(struct file *file);
/* Has every thread of the process @pid exited (zombie or reaped)? */
bool vfpool_compat_process_exited(struct pid *pid);

/*
 * A do or dump request that the command's own policy would refuse on 6.2+
 * (split ops) but the merged classic policy let through: refuse it alike.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
int vfpool_compat_check_do(struct genl_info *info);
int vfpool_compat_check_dump(struct netlink_callback *cb);
#else
static inline int vfpool_compat_check_do(struct genl_info *info)
{
	return 0;
}

static inline int vfpool_compat_check_dump(struct netlink_callback *cb)
{
	return 0;
}
#endif

int vfpool_compat_register_family(void);
void vfpool_compat_unregister_family(void);

#endif /* _VFPOOL_COMPAT_H */
