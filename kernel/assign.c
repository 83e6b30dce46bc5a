// SPDX-License-Identifier: GPL-2.0
/*
 * Assigned VFs (Documentation/vfpool.rst, Adoption): at enrollment, a VF that a guest is using
 * right now is left untouched in state assigned, instead of being reset
 * under the running guest.  It becomes free (and is reset) when that use
 * ends, or is taken over unchanged by vf-reserve adopt.
 *
 * "In use by a guest" means: bound to a vfio driver AND opened through it.
 * Merely bound is not enough (sriov-network-operator, KubeVirt and libvirt
 * managed='no' pre-bind idle VFs to vfio-pci; those must enroll free).
 * vfio keeps its open count in private structures, so vfpool reads what
 * opening does to the PCI device instead: vfio_pci_core_enable(), run on
 * the first open of the device fd, calls pci_enable_device(), and
 * vfio_pci_core_disable(), on the last close, calls pci_disable_device()
 * (6.1 and 6.12 alike; vfio-pci's probe does not enable the device).  So
 * for a vfio-bound VF, pci_is_enabled() (enable_cnt > 0) is "open".
 *
 * The driver is read without the VF's device lock: that lock is taken by
 * VF drivers' probe before RTNL (register_netdev), and we run under RTNL.
 * A driver cannot be unloaded while bound, and a bind or unbind racing
 * with the check only moves the answer by one poll.
 *
 * Neither a close nor an unbind notifies anyone we can hear, so the end of
 * the use is polled, once a second from vfpool's lifetime work, and only
 * while some VF is assigned.
 */
#include <linux/pci.h>

#include "vfpool.h"

static struct pci_dev *vfpool_vf_pdev(const struct vfpool_vf *vf)
{
	char addr[VFPOOL_PCI_ADDR_LEN];
	unsigned int dom, bus, slot, fn;

	if (vfpool_vf_pci_addr(vf, addr, sizeof(addr)) ||
	    sscanf(addr, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4)
		return NULL;
	return pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(slot, fn));
}

/* Is @vf's PCI device open through a vfio driver (a guest uses it)? */
bool vfpool_vf_in_use(const struct vfpool_vf *vf)
{
	struct device_driver *drv;
	struct pci_dev *pdev;
	bool used = false;

	pdev = vfpool_vf_pdev(vf);
	if (!pdev)
		return false;
	drv = READ_ONCE(pdev->dev.driver);
	if (pdev->is_virtfn && drv && strstr(drv->name, "vfio") &&
	    pci_is_enabled(pdev))
		used = true;
	pci_dev_put(pdev);
	return used;
}

/* From the lifetime work: free the assigned VFs whose use has ended. */
bool vfpool_assign_poll(void)
{
	struct vfpool_pf *pf;
	struct vfpool_vf *vf;
	bool any = false;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	vfpool_for_each_pf(pf) {
		vfpool_for_each_vf(pf, vf) {
			if (vf->state != VFPOOL_VF_STATE_ASSIGNED)
				continue;
			if (vfpool_vf_in_use(vf)) {
				any = true;
				continue;
			}
			/*
			 * vfpool_vf_zero() sets the state itself: free,
			 * resetting (retried by the work) or quarantined
			 * (with its own event).
			 */
			vf->reason = VFPOOL_REASON_UNASSIGNED;
			if (!vfpool_vf_zero(vf))
				vfpool_notify_vf(vf, VFPOOL_CMD_VF_RESET_NTF);
		}
	}
	return any;
}
