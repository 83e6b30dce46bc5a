// SPDX-License-Identifier: GPL-2.0
/*
 * Process holders: reservations bound to a process given as a pidfd.
 *
 * A bound reservation lives until that process exits, whatever happens to
 * the socket that made it, so no userspace daemon stands between a guest
 * and its VF.  The process is named by a pidfd, never by a pid number: the
 * holder keeps a reference on the struct pid, which a recycled pid number
 * can never match.
 *
 * Exit is noticed the way poll() on a pidfd notices it: the kernel wakes
 * pid->wait_pidfd from do_notify_pidfd() once the process has exited, with
 * exit_state already set and before it can be reaped, so a zombie whose
 * parent never calls wait() counts as exited too.  A holder puts an entry
 * with its own callback on that queue (as epoll does through pidfd_poll)
 * and then checks whether the process has exited already, so an exit
 * between the lookup and the add is never missed.
 *
 * The callback runs with the queue's spinlock held and interrupts off,
 * under tasklist_lock; it only kicks vfpool_work.  The work re-checks every
 * process holder under vfpool_mutex (a wake-up can also mean the leader
 * thread exited while other threads run, on kernels with PIDFD_THREAD) and
 * resets the VFs of the processes that are gone, through the same path as
 * a closed socket.
 */
#include <linux/file.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "vfpool.h"

/* Process holders, under vfpool_mutex. */
static LIST_HEAD(vfpool_procs);

static int vfpool_process_wake(struct wait_queue_entry *wait,
			       unsigned int mode, int sync, void *key)
{
	vfpool_work_kick(0);
	return 0;
}

/*
 * The holder for the process behind the pidfd in the vf-bind/reserve,
 * created on first use; like a socket's, it lives while it holds VFs.
 */
struct vfpool_holder *vfpool_process_of_pidfd(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VFPOOL_A_VF_PIDFD];
	struct vfpool_holder *h;
	struct file *file;
	struct pid *pid;

	lockdep_assert_held(&vfpool_mutex);

	/* Requests run in the sender's context: its fd table. */
	file = fget(nla_get_s32(attr));
	if (!file) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "pidfd is not an open file descriptor");
		return ERR_PTR(-EBADF);
	}
	pid = vfpool_compat_pidfd_pid(file);
	fput(file);
	if (IS_ERR(pid)) {
		if (PTR_ERR(pid) == -EINVAL)
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "pidfd names a thread, not a process");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "pidfd is not a pidfd (pidfd_open(2))");
		return ERR_CAST(pid);
	}

	list_for_each_entry(h, &vfpool_procs, proc_node) {
		if (h->proc == pid && !h->orphaned) {
			put_pid(pid);
			return h;
		}
	}

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		put_pid(pid);
		return ERR_PTR(-ENOMEM);
	}
	h->type = VFPOOL_HOLDER_TYPE_PROCESS;
	INIT_LIST_HEAD(&h->vfs);
	INIT_LIST_HEAD(&h->orphan_node);
	h->proc = pid;
	init_waitqueue_func_entry(&h->wait, vfpool_process_wake);
	add_wait_queue(&pid->wait_pidfd, &h->wait);

	/* After the add: an exit from now on wakes us. */
	if (vfpool_compat_process_exited(pid)) {
		remove_wait_queue(&pid->wait_pidfd, &h->wait);
		put_pid(pid);
		kfree(h);
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "the pidfd's process has exited");
		return ERR_PTR(-ESRCH);
	}
	list_add_tail(&h->proc_node, &vfpool_procs);
	return h;
}

static void vfpool_process_free(struct vfpool_holder *h)
{
	/* Once removed, the callback cannot be running: it runs under the lock. */
	remove_wait_queue(&h->proc->wait_pidfd, &h->wait);
	list_del(&h->proc_node);
	put_pid(h->proc);
	kfree(h);
}

/* Drop a process holder that holds nothing; the work frees exited ones. */
void vfpool_process_drop_idle(struct vfpool_holder *h)
{
	lockdep_assert_held(&vfpool_mutex);
	if (list_empty(&h->vfs) && !h->orphaned)
		vfpool_process_free(h);
}

/* From the work: reset the VFs of every process that has exited. */
void vfpool_process_reap(void)
{
	struct vfpool_holder *h, *tmp;
	struct vfpool_vf *vf, *vtmp;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	list_for_each_entry_safe(h, tmp, &vfpool_procs, proc_node) {
		if (!vfpool_compat_process_exited(h->proc))
			continue;
		/* Orphaned: releasing the last VF must not free it under us. */
		WRITE_ONCE(h->orphaned, true);
		list_for_each_entry_safe(vf, vtmp, &h->vfs, holder_node) {
			vfpool_vf_release(vf, VFPOOL_REASON_PROCESS_EXITED);
			cond_resched();
		}
		vfpool_process_free(h);
	}
}

/* Module unload: nothing is held any more (VFs pin the module). */
void vfpool_process_uninit(void)
{
	struct vfpool_holder *h, *tmp;

	mutex_lock(&vfpool_mutex);
	list_for_each_entry_safe(h, tmp, &vfpool_procs, proc_node) {
		WARN_ON(!list_empty(&h->vfs));
		vfpool_process_free(h);
	}
	mutex_unlock(&vfpool_mutex);
}
