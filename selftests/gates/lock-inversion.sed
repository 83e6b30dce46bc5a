# Gate: a deliberate lock inversion.  The reset work takes vfpool_mutex
# before RTNL while every netlink handler takes RTNL first: lockdep must
# report "possible circular locking dependency" on the debug kernel.
/^static void vfpool_work_fn(/,/^}/{
	s/^\trtnl_lock();$/\tmutex_lock(\&vfpool_mutex);\n\trtnl_lock();/
	/^\tmutex_lock(&vfpool_mutex);$/d
}
