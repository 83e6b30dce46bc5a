# Gate: the NETLINK_URELEASE cleanup removed.  A closed socket's
# reservations are never orphaned nor reset: the suite must fail.
/^static int vfpool_netlink_notify(/,/^}/{
	s/^\tif (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)$/\tif (true)/
}
