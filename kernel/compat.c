// SPDX-License-Identifier: GPL-2.0
/*
 * Glue for older kernels; see compat.h and compat-gen.h.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/magic.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pidfd.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "compat-gen.h"
#include "compat.h"
#include "netlink-gen.h"

#ifdef VFPOOL_COMPAT_SPLIT_OPS
#ifndef NL_SET_ERR_MSG_FMT
#error "classic genl ops but a kernel extack for formatted messages"
#endif
struct genl_family vfpool_nl_family;
static struct genl_ops *vfpool_compat_ops;
static struct nla_policy **vfpool_compat_pols;

/*
 * A request's message buffer (see compat.h), found by the extack of the
 * request it belongs to: a do request's lives on the stack of
 * vfpool_compat_doit(), which sends the ack itself while the buffer is
 * alive; a dump's is allocated by vfpool_compat_start() and freed by
 * vfpool_compat_done(), after netlink_dump() copied the message into the
 * dump's last message.  Only the request itself writes its buffer, so no
 * concurrent request can overwrite a text before its ack is built.
 */
#define VFPOOL_COMPAT_MSG_LEN	80	/* 6.2+'s NETLINK_MAX_FMTMSG_LEN */

struct vfpool_compat_msg {
	struct list_head node;		/* on vfpool_compat_msgs */
	/* The request's extack while its handler runs, else NULL. */
	const struct netlink_ext_ack *extack;
	const struct netlink_callback *cb;	/* a dump's */
	char buf[VFPOOL_COMPAT_MSG_LEN];
};

static LIST_HEAD(vfpool_compat_msgs);
static DEFINE_SPINLOCK(vfpool_compat_msgs_lock);	/* the list */

void vfpool_compat_fmt(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	struct vfpool_compat_msg *m, *found = NULL;
	va_list ap;
	int len;

	if (!extack)
		return;
	spin_lock(&vfpool_compat_msgs_lock);
	list_for_each_entry(m, &vfpool_compat_msgs, node)
		if (READ_ONCE(m->extack) == extack)
			found = m;
	spin_unlock(&vfpool_compat_msgs_lock);
	/* Every handler is wrapped; a message elsewhere is a bug of ours. */
	if (WARN_ON_ONCE(!found))
		return;

	/* found stays ours: only this request's wrapper removes it. */
	va_start(ap, fmt);
	len = vsnprintf(found->buf, sizeof(found->buf), fmt, ap);
	va_end(ap);
	if (len >= sizeof(found->buf))
		net_warn_ratelimited("truncated extack: %s\n", found->buf);
	extack->_msg = found->buf;
}

static void vfpool_compat_msg_add(struct vfpool_compat_msg *m)
{
	spin_lock(&vfpool_compat_msgs_lock);
	list_add(&m->node, &vfpool_compat_msgs);
	spin_unlock(&vfpool_compat_msgs_lock);
}

static void vfpool_compat_msg_del(struct vfpool_compat_msg *m)
{
	spin_lock(&vfpool_compat_msgs_lock);
	list_del(&m->node);
	spin_unlock(&vfpool_compat_msgs_lock);
}

/* The generated op of @cmd that has a do (or a dump) handler. */
static const struct vfpool_split_ops *vfpool_compat_split(u8 cmd, bool dump)
{
	const struct vfpool_gen_family *gen = &vfpool_nl_family_gen;
	unsigned int i;

	for (i = 0; i < gen->n_split_ops; i++)
		if (gen->split_ops[i].cmd == cmd &&
		    (dump ? !!gen->split_ops[i].dumpit : !!gen->split_ops[i].doit))
			return &gen->split_ops[i];
	return NULL;
}

/*
 * Every do handler runs through here.  If it formatted a message, the
 * buffer is on this stack, so ack here, exactly as netlink_rcv_skb()
 * would after we return, and tell it so with -EINTR, as
 * netlink_dump_start() does for the requests it acks itself.
 */
static int vfpool_compat_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct vfpool_split_ops *s;
	struct vfpool_compat_msg m = { .extack = info->extack };
	int err;

	s = vfpool_compat_split(info->genlhdr->cmd, false);
	vfpool_compat_msg_add(&m);
	err = s->doit(skb, info);
	vfpool_compat_msg_del(&m);
	if (!info->extack || info->extack->_msg != m.buf)
		return err;
	if (err || info->nlhdr->nlmsg_flags & NLM_F_ACK)
		netlink_ack(skb, info->nlhdr, err, info->extack);
	return -EINTR;
}

static struct vfpool_compat_msg *vfpool_compat_dump_msg(struct netlink_callback *cb)
{
	struct vfpool_compat_msg *m, *found = NULL;

	spin_lock(&vfpool_compat_msgs_lock);
	list_for_each_entry(m, &vfpool_compat_msgs, node)
		if (m->cb == cb)
			found = m;
	spin_unlock(&vfpool_compat_msgs_lock);
	return found;
}

static int vfpool_compat_start(struct netlink_callback *cb)
{
	struct vfpool_compat_msg *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->cb = cb;
	vfpool_compat_msg_add(m);
	return 0;
}

/*
 * Each part of a dump: the message buffer answers to this part's extack
 * (netlink_dump()'s, which reads the message right after we return).
 */
static int vfpool_compat_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genlmsghdr *hdr = nlmsg_data(cb->nlh);
	struct vfpool_compat_msg *m = vfpool_compat_dump_msg(cb);
	int ret;

	if (WARN_ON_ONCE(!m))
		return -EINVAL;
	WRITE_ONCE(m->extack, cb->extack);
	ret = vfpool_compat_split(hdr->cmd, true)->dumpit(skb, cb);
	WRITE_ONCE(m->extack, NULL);
	return ret;
}

static int vfpool_compat_done(struct netlink_callback *cb)
{
	struct vfpool_compat_msg *m = vfpool_compat_dump_msg(cb);

	if (m) {
		vfpool_compat_msg_del(m);
		kfree(m);
	}
	return 0;
}

/*
 * Split ops give do and dump of one command their own entry and policy;
 * classic ops have one entry and one policy per command, so merge them and
 * take the union of the two policies.
 */
static int vfpool_compat_merge(void)
{
	const struct vfpool_gen_family *gen = &vfpool_nl_family_gen;
	unsigned int i, j, n = 0;

	vfpool_compat_ops = kcalloc(gen->n_split_ops, sizeof(*vfpool_compat_ops),
				    GFP_KERNEL);
	vfpool_compat_pols = kcalloc(gen->n_split_ops,
				     sizeof(*vfpool_compat_pols), GFP_KERNEL);
	if (!vfpool_compat_ops || !vfpool_compat_pols)
		return -ENOMEM;

	for (i = 0; i < gen->n_split_ops; i++) {
		const struct vfpool_split_ops *s = &gen->split_ops[i];
		struct genl_ops *op = NULL;

		for (j = 0; j < n; j++)
			if (vfpool_compat_ops[j].cmd == s->cmd)
				op = &vfpool_compat_ops[j];
		if (!op) {
			op = &vfpool_compat_ops[n++];
			op->cmd = s->cmd;
		}
		/* Through the wrappers that lend each request a message. */
		if (s->doit)
			op->doit = vfpool_compat_doit;
		if (s->dumpit) {
			if (WARN_ON(s->start || s->done))
				return -EINVAL;
			op->dumpit = vfpool_compat_dumpit;
			op->start = vfpool_compat_start;
			op->done = vfpool_compat_done;
		}
		op->flags |= s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
		op->validate |= s->validate;

		if (!s->policy)
			continue;
		if (!op->policy) {
			op->policy = s->policy;
			op->maxattr = s->maxattr;
		} else {
			unsigned int max = max(op->maxattr, s->maxattr);
			struct nla_policy *u;
			unsigned int a;

			u = kcalloc(max + 1, sizeof(*u), GFP_KERNEL);
			if (!u)
				return -ENOMEM;
			for (a = 0; a <= max; a++) {
				if (a <= op->maxattr && op->policy[a].type)
					memcpy(&u[a], &op->policy[a], sizeof(*u));
				else if (a <= s->maxattr)
					memcpy(&u[a], &s->policy[a], sizeof(*u));
			}
			vfpool_compat_pols[op - vfpool_compat_ops] = u;
			op->policy = u;
			op->maxattr = max;
		}
	}

	strscpy(vfpool_nl_family.name, gen->name, sizeof(vfpool_nl_family.name));
	vfpool_nl_family.version = gen->version;
	vfpool_nl_family.netnsok = gen->netnsok;
	vfpool_nl_family.parallel_ops = gen->parallel_ops;
	vfpool_nl_family.module = gen->module;
	vfpool_nl_family.ops = vfpool_compat_ops;
	vfpool_nl_family.n_ops = n;
	vfpool_nl_family.mcgrps = gen->mcgrps;
	vfpool_nl_family.n_mcgrps = gen->n_mcgrps;
	vfpool_nl_family.resv_start_op = 1;
	return 0;
}

/*
 * Classic ops validate a command's do and dump against one policy, the
 * union of the two.  Split ops (6.2+) validate each against its own, with
 * strict validation refusing what that policy does not name, so check
 * what the union let through against the split op's policy, as 6.2+ does.
 */
static int vfpool_compat_check(u8 cmd, bool dump, struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	const struct vfpool_split_ops *s = vfpool_compat_split(cmd, dump);
	const struct genl_ops *op = NULL;
	unsigned int i, a;

	for (i = 0; i < vfpool_nl_family.n_ops; i++)
		if (vfpool_compat_ops[i].cmd == cmd)
			op = &vfpool_compat_ops[i];
	/* Without a policy 6.2+ parses nothing, so refuses nothing. */
	if (!s || !op || !s->policy || !tb)
		return 0;
	for (a = 1; a <= op->maxattr; a++) {
		if (!tb[a])
			continue;
		if (a > s->maxattr) {
			NL_SET_ERR_MSG_ATTR(extack, tb[a], "Unknown attribute type");
			return -EINVAL;
		}
		if (s->policy[a].type == NLA_UNSPEC) {
			NL_SET_ERR_MSG_ATTR(extack, tb[a], "Unsupported attribute");
			return -EINVAL;
		}
	}
	return 0;
}

int vfpool_compat_check_do(struct genl_info *info)
{
	return vfpool_compat_check(info->genlhdr->cmd, false, info->attrs,
				   info->extack);
}

int vfpool_compat_check_dump(struct netlink_callback *cb)
{
	const struct genlmsghdr *hdr = nlmsg_data(cb->nlh);

	return vfpool_compat_check(hdr->cmd, true, vfpool_dump_attrs(cb),
				   cb->extack);
}

static void vfpool_compat_free(void)
{
	unsigned int i;

	if (vfpool_compat_pols)
		for (i = 0; i < vfpool_nl_family_gen.n_split_ops; i++)
			kfree(vfpool_compat_pols[i]);
	kfree(vfpool_compat_pols);
	kfree(vfpool_compat_ops);
	vfpool_compat_pols = NULL;
	vfpool_compat_ops = NULL;
}

int vfpool_compat_register_family(void)
{
	int err;

	err = vfpool_compat_merge();
	if (!err)
		err = genl_register_family(&vfpool_nl_family);
	if (err)
		vfpool_compat_free();
	return err;
}

void vfpool_compat_unregister_family(void)
{
	genl_unregister_family(&vfpool_nl_family);
	vfpool_compat_free();
}
#else
int vfpool_compat_register_family(void)
{
	return genl_register_family(&vfpool_nl_family);
}

void vfpool_compat_unregister_family(void)
{
	genl_unregister_family(&vfpool_nl_family);
}
#endif

/*
 * pidfd_pid() is not exported, so recognise a pidfd by the filesystem its
 * file lives on; both are filled in by the kernel only, never by a user:
 *   6.1 .. 6.8: an anon inode file named "[pidfd]", private_data the pid;
 *   6.9 on:     a file on pidfs (PID_FS_MAGIC), i_private the pid.
 * A thread pidfd (PIDFD_THREAD, 6.9 on) is refused: a reservation follows
 * a process, not one of its threads.
 */
struct pid *vfpool_compat_pidfd_pid(struct file *file)
{
	struct pid *pid;

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
	if (file_inode(file)->i_sb->s_magic != ANON_INODE_FS_MAGIC ||
	    strcmp(file->f_path.dentry->d_name.name, "[pidfd]"))
		return ERR_PTR(-EBADF);
	pid = file->private_data;
#else
	if (file_inode(file)->i_sb->s_magic != PID_FS_MAGIC)
		return ERR_PTR(-EBADF);
	if (file->f_flags & PIDFD_THREAD)
		return ERR_PTR(-EINVAL);
	pid = file_inode(file)->i_private;
#endif
	return get_pid(pid);
}

/*
 * What pidfd_poll() reports as "exited" for a process pidfd, as
 * thread_group_exited() (not exported on every kernel) computes it: the
 * leader is gone, or is a zombie with no thread left.
 */
bool vfpool_compat_process_exited(struct pid *pid)
{
	struct task_struct *task;
	bool exited;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	exited = !task ||
		 (READ_ONCE(task->exit_state) && thread_group_empty(task));
	rcu_read_unlock();
	return exited;
}
