// SPDX-License-Identifier: GPL-2.0
/*
 * vfpool: kernel-held ownership of SR-IOV virtual functions.
 *
 * This file only orders bring-up and tear-down; each subsystem lives in
 * its own file.
 */
#include <linux/module.h>

#include "vfpool.h"

static int __init vfpool_init(void)
{
	int err;

	err = vfpool_holder_init();
	if (err)
		return err;

	err = vfpool_pool_init();
	if (err)
		goto err_holder;

	err = vfpool_netlink_init();
	if (err)
		goto err_pool;

	pr_info("kernel-held SR-IOV VF ownership, netlink family \"%s\"\n",
		VFPOOL_FAMILY_NAME);
	return 0;

err_pool:
	vfpool_pool_uninit();
err_holder:
	vfpool_holder_uninit();
	return err;
}

/*
 * Unload cannot start while a VF is reserved, lingering, resetting or
 * quarantined: each holds a reference on this module (holder.c), so no VF
 * is held here.  The family goes first so no new request can arrive, then
 * every PF is un-enrolled (its free VFs forgotten, un-enroll events no
 * longer sent), then the socket notifier and the work that served it.
 */
static void __exit vfpool_exit(void)
{
	vfpool_netlink_uninit();
	vfpool_pool_uninit();
	vfpool_holder_uninit();
}

module_init(vfpool_init);
module_exit(vfpool_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel-held ownership of SR-IOV virtual functions");
MODULE_AUTHOR("vfpool developers");
MODULE_ALIAS_GENL_FAMILY(VFPOOL_FAMILY_NAME);
