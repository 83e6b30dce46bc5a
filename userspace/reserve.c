// SPDX-License-Identifier: GPL-2.0
/*
 * vf reserve and its lifetime modes.
 *
 * The generic netlink socket that sent vf-reserve *is* the reservation:
 * the kernel resets the VF when that socket is finally closed, unless the
 * reservation was bound to a process (a pidfd), which it then follows in
 * the kernel.  So:
 *
 *   hold    keep the socket open in the foreground until SIGINT/SIGTERM,
 *           until PID (or the pid named in PATH) exits, or until the VF is
 *           released by someone else (learned from the "events" group);
 *   detach pid PID
 *           reserve bound to PID's pidfd in the one request, print, exit:
 *           nothing of vfpoolctl keeps running;
 *   detach pidfile PATH
 *           the parent returns once a child has the reservation (0,
 *           printing the VF) or failed to get it (1); the child waits for
 *           PATH to name a live process, binds the reservation to it
 *           (vf-bind) and exits; if none appears in time it releases;
 *   detach  (alone) the hold loop in a daemon, socket semantics;
 *   exec    hand the socket to CMD: execvp() in place of vfpoolctl with
 *           the fd inherited, so the VF lives exactly as long as CMD.
 *
 * linger SECONDS (any mode) keeps the VF, once reset, held for its owner
 * that long after the holder went.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "vfpoolctl.h"

#ifndef __NR_pidfd_open
#define __NR_pidfd_open		434
#endif

/*
 * How long hold/detach wait for a pidfile to name a live process, unless
 * the environment says otherwise (in seconds, fractions allowed).
 */
#define PIDFILE_TIMEOUT_MS	30000
#define PIDFILE_TIMEOUT_MAX_S	86400
#define PIDFILE_POLL_MS		100

struct reserve {
	struct vf_args a;
	unsigned int mode;	/* K_HOLD, K_DETACH or K_EXEC */
	unsigned long seen;	/* K_HOLD .. K_PIDFILE */
	pid_t pid;
	const char *pidfile;
	long pidfile_timeout_ms;
	char **cmd;
};

/* What we learnt from the reply, to recognise our VF in events. */
struct held {
	struct nlmsghdr *reply;
	uint32_t ifindex;
	uint32_t vf;
	uint32_t pid;
	bool have_pid;
	const char *ifname;
	const char *owner;
	const char *pci;
	char mac[MAC_STR_LEN];
	bool check;		/* an event may concern our VF */
	const char *why;	/* the reason given by that event */
};

static int sys_pidfd_open(pid_t pid)
{
	return syscall(__NR_pidfd_open, pid, 0);
}

/* $VFPOOLCTL_PIDFILE_TIMEOUT: seconds, 0 .. 1 day, fractions allowed. */
static int pidfile_timeout(long *ms)
{
	const char *env = getenv(PIDFILE_TIMEOUT_ENV);
	char *end;
	double s;

	*ms = PIDFILE_TIMEOUT_MS;
	if (!env)
		return 0;
	errno = 0;
	s = strtod(env, &end);
	if (errno || end == env || *end || !(s >= 0) ||
	    s > PIDFILE_TIMEOUT_MAX_S) {
		fprintf(stderr, "vfpoolctl: invalid %s \"%s\" (seconds, 0-%d)\n",
			PIDFILE_TIMEOUT_ENV, env, PIDFILE_TIMEOUT_MAX_S);
		return -EINVAL;
	}
	*ms = (long)(s * 1000 + 0.5);
	return 0;
}

/* The lifetime keywords; "exec --" takes the rest of the line. */
static const struct keyword lifetime_keywords[] = {
	KW_FLAG("hold", K_HOLD),
	KW_FLAG("detach", K_DETACH),
	KW_FLAG("exec", K_EXEC),
	KW("pid", K_PID),
	KW("pidfile", K_PIDFILE),
};

/* One lifetime keyword, argv on its value: 0, or -EINVAL (printed). */
static int lifetime_parse(struct reserve *r, int bit, int *argc, char ***argv)
{
	const char *arg = **argv;
	uint32_t v;

	switch (bit) {
	case K_HOLD:
	case K_DETACH:
	case K_EXEC:
		if (r->mode)
			return parse_error("\"%s\": only one of hold, detach, exec",
					   arg);
		r->mode = bit;
		if (bit != K_EXEC)
			return 0;
		if (*argc < 2 || strcmp((*argv)[1], "--"))
			return parse_error("\"exec\" must be followed by \"-- CMD\"");
		if (*argc < 3)
			return parse_error("missing CMD after \"exec --\"");
		r->cmd = *argv + 2;
		/* the rest is CMD's: the caller's loop ends here */
		*argc = 1;
		return 0;
	case K_PID:
		if (parse_u32("pid", arg, INT_MAX, &v))
			return -EINVAL;
		if (!v)
			return parse_error("invalid pid \"%s\"", arg);
		r->pid = v;
		return 0;
	case K_PIDFILE:
		if (!*arg)
			return parse_error("empty pidfile");
		r->pidfile = arg;
		return 0;
	}
	return 0;
}

static int reserve_parse(const struct cmd *cmd, struct reserve *r,
			 int argc, char **argv)
{
	const char *kw;
	int ret;

	for (; argc > 0; argc--, argv++) {
		kw = *argv;
		if (is_help(kw)) {
			print_usage(stdout, cmd);
			return 1;
		}
		ret = vf_parse_kw(&r->a, BIT(K_DEV) | BIT(K_POOL) | BIT(K_VF) |
				  BIT(K_PCI) | BIT(K_OWNER) | BIT(K_LINGER) |
				  BIT(K_ADOPT) | K_CONFIG,
				  &argc, &argv);
		if (ret < 0)
			return ret;
		if (ret)
			continue;
		ret = kw_next(lifetime_keywords, ARRAY_SIZE(lifetime_keywords),
			      ~0UL, &r->seen, &argc, &argv);
		if (ret == -ENOENT)
			return kw_unknown(kw);
		if (ret < 0)
			return ret;
		ret = lifetime_parse(r, ret, &argc, &argv);
		if (ret)
			return ret;
	}

	if (!r->mode)
		r->mode = K_HOLD;
	if (SEEN(r->a.seen, K_DEV) == SEEN(r->a.seen, K_POOL))
		return parse_error(SEEN(r->a.seen, K_DEV) ?
				   "\"dev\" and \"pool\" are exclusive" :
				   "missing \"dev PF\" or \"pool POOL\"");
	if (SEEN(r->a.seen, K_VF) && !SEEN(r->a.seen, K_DEV))
		return parse_error("\"vf\" needs \"dev PF\"");
	if (SEEN(r->a.seen, K_VF) && SEEN(r->a.seen, K_PCI))
		return parse_error("\"vf\" and \"pci\" are exclusive");
	if (r->pid && r->pidfile)
		return parse_error("\"pid\" and \"pidfile\" are exclusive");
	if (r->mode == K_EXEC && (r->pid || r->pidfile))
		return parse_error("\"%s\" does not apply to \"exec\"",
				   r->pid ? "pid" : "pidfile");
	if (r->pidfile && pidfile_timeout(&r->pidfile_timeout_ms))
		return -EINVAL;
	return 0;
}

static int reserve_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1];
	struct held *h = data;

	free(h->reply);
	h->reply = malloc(nlh->nlmsg_len);
	if (!h->reply)
		return MNL_CB_ERROR;
	memcpy(h->reply, nlh, nlh->nlmsg_len);
	if (attr_parse_vf(h->reply, tb) < 0)
		return MNL_CB_ERROR;
	attr_u32(tb[VFPOOL_A_VF_IFINDEX], &h->ifindex);
	attr_u32(tb[VFPOOL_A_VF_VF], &h->vf);
	h->have_pid = attr_u32(tb[VFPOOL_A_VF_PID], &h->pid);
	h->ifname = attr_str(tb[VFPOOL_A_VF_IFNAME]);
	h->owner = attr_str(tb[VFPOOL_A_VF_OWNER]);
	h->pci = attr_str(tb[VFPOOL_A_VF_PCI]);
	attr_mac(tb[VFPOOL_A_VF_MAC], h->mac);
	return MNL_CB_OK;
}

/* Reserve; bound to the process of @pidfd from the start if >= 0. */
static int do_reserve(struct nlctx *ctx, const struct reserve *r,
		      struct held *h, int pidfd)
{
	struct nlmsghdr *nlh;
	int ret;

	nlh = nl_msg(ctx, VFPOOL_CMD_VF_RESERVE, NLM_F_ACK);
	vf_put(nlh, &r->a);
	if (pidfd >= 0)
		mnl_attr_put_u32(nlh, VFPOOL_A_VF_PIDFD, pidfd);
	ret = nl_request(ctx, nlh, reserve_cb, h);
	if (ret)
		return ret;
	if (!h->reply) {
		fprintf(stderr, "vfpoolctl: the kernel did not reply with the reserved VF\n");
		return -EBADMSG;
	}
	return 0;
}

/* Release our VF through the holding socket, waiting for the reset. */
static void release_held(struct nlctx *ctx, const struct held *h)
{
	struct nlmsghdr *nlh;

	nlh = nl_msg(ctx, VFPOOL_CMD_VF_RELEASE, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_IFINDEX, h->ifindex);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_VF, h->vf);
	/* failure is fine: closing the socket resets the VF anyway */
	nl_request_quiet(ctx, nlh, NULL, NULL);
}

static int still_ours_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1];
	struct held *h = data;
	const char *owner;
	uint32_t state, pid;

	if (attr_parse_vf(nlh, tb) < 0)
		return MNL_CB_ERROR;
	owner = attr_str(tb[VFPOOL_A_VF_OWNER]);
	if (!attr_u32(tb[VFPOOL_A_VF_STATE], &state) ||
	    state != VFPOOL_VF_STATE_RESERVED)
		return MNL_CB_OK;
	if (h->have_pid && (!attr_u32(tb[VFPOOL_A_VF_PID], &pid) ||
			    pid != h->pid))
		return MNL_CB_OK;
	if (!!owner != !!h->owner || (owner && strcmp(owner, h->owner)))
		return MNL_CB_OK;
	h->check = false;
	return MNL_CB_OK;
}

/*
 * An event named our VF (or events were lost): ask the kernel whether the
 * reservation is still ours.  Events are only a hint; this is the truth.
 */
static bool still_ours(struct nlctx *ctx, struct held *h)
{
	struct nlmsghdr *nlh;

	nlh = nl_msg(ctx, VFPOOL_CMD_VF_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_IFINDEX, h->ifindex);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_VF, h->vf);
	h->check = true;	/* cleared by the callback if still ours */
	if (nl_request_quiet(ctx, nlh, still_ours_cb, h))
		return false;
	return !h->check;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct held *h = data;
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1];
	const struct nlattr *pt[VFPOOL_A_POOL_MAX + 1];
	uint32_t ifindex, vf, reason;

	switch (genl->cmd) {
	case VFPOOL_CMD_VF_RELEASED_NTF:
	case VFPOOL_CMD_VF_GONE_NTF:
	case VFPOOL_CMD_VF_QUARANTINED_NTF:
		if (attr_parse_vf(nlh, tb) < 0 ||
		    !attr_u32(tb[VFPOOL_A_VF_IFINDEX], &ifindex) ||
		    !attr_u32(tb[VFPOOL_A_VF_VF], &vf) ||
		    ifindex != h->ifindex || vf != h->vf)
			break;
		h->check = true;
		if (genl->cmd == VFPOOL_CMD_VF_GONE_NTF)
			h->why = "vf-gone";
		else if (genl->cmd == VFPOOL_CMD_VF_QUARANTINED_NTF)
			h->why = "quarantined";
		else if (attr_u32(tb[VFPOOL_A_VF_REASON], &reason))
			h->why = reason_name(reason);
		break;
	case VFPOOL_CMD_POOL_DEL_NTF:
		if (attr_parse_pool(nlh, pt) < 0 ||
		    !attr_u32(pt[VFPOOL_A_POOL_IFINDEX], &ifindex) ||
		    ifindex != h->ifindex)
			break;
		h->check = true;
		h->why = "pf-removed";
		break;
	}
	return MNL_CB_OK;
}

/* Read a pid from PATH and open it; -1 while there is no live one. */
static int pidfile_open(const char *path)
{
	char buf[32], *end;
	ssize_t len;
	long pid;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno || end == buf || pid <= 0 || pid > INT_MAX ||
	    (*end && *end != '\n' && *end != ' '))
		return -1;
	return sys_pidfd_open(pid);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/*
 * Hand our reservation to the process of @pidfd (vf-bind): from now on the
 * kernel keeps it until that process exits, and our socket may close.
 * Returns 0 or -errno (-ESRCH: the process has exited).
 */
static int bind_held(struct nlctx *ctx, const struct held *h, int pidfd)
{
	struct nlmsghdr *nlh;

	nlh = nl_msg(ctx, VFPOOL_CMD_VF_BIND, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_IFINDEX, h->ifindex);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_VF, h->vf);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_PIDFD, pidfd);
	return nl_request_quiet(ctx, nlh, NULL, NULL);
}

/*
 * The hold loop: one poll over the signalfd, the pidfd and the event
 * socket.  Returns the exit status.  For detach pidfile, it ends as soon
 * as the reservation is bound to the process the pidfile names.
 */
static int hold(struct nlctx *ctx, struct nlctx *ev, struct held *h,
		const sigset_t *mask, int pidfd, const struct reserve *r)
{
	const char *pidfile = r->pidfile;
	long deadline = now_ms() + r->pidfile_timeout_ms;
	struct pollfd pfd[3];
	int sfd, n, timeout, err;

	sfd = signalfd(-1, mask, SFD_CLOEXEC);
	if (sfd < 0)
		return sys_error("signalfd");
	for (;;) {
		timeout = -1;
		if (pidfile && pidfd < 0) {
			pidfd = pidfile_open(pidfile);
			if (pidfd >= 0 && r->mode == K_DETACH) {
				err = bind_held(ctx, h, pidfd);
				if (!err)
					return 0;
				/* a zombie, say: wait past it */
				close(pidfd);
				pidfd = -1;
				if (err != -ESRCH) {
					fprintf(stderr, "vfpoolctl: binding VF %u to the process in %s: %s\n",
						h->vf, pidfile, strerror(-err));
					release_held(ctx, h);
					return err;
				}
			}
			if (pidfd < 0 && now_ms() >= deadline) {
				fprintf(stderr, "vfpoolctl: pidfile %s named no live process within %g s; releasing VF %u of %s\n",
					pidfile, r->pidfile_timeout_ms / 1000.0,
					h->vf, h->ifname ? h->ifname : "?");
				release_held(ctx, h);
				return -ETIMEDOUT;
			}
			if (pidfd < 0) {
				timeout = deadline - now_ms();
				if (timeout > PIDFILE_POLL_MS)
					timeout = PIDFILE_POLL_MS;
				if (timeout < 0)
					timeout = 0;
			}
		}
		pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		pfd[2] = (struct pollfd){
			.fd = ev ? mnl_socket_get_fd(ev->nl) : -1,
			.events = POLLIN,
		};
		n = poll(pfd, ARRAY_SIZE(pfd), timeout);
		if (n < 0 && errno != EINTR)
			return sys_error("poll");
		if (n <= 0)
			continue;
		if (pfd[0].revents || pfd[1].revents) {
			/* a signal, or the process we follow exited */
			release_held(ctx, h);
			return 0;
		}
		if (pfd[2].revents) {
			if (nl_recv_events(ev, event_cb, h) < 0) {
				if (errno != ENOBUFS)
					fprintf(stderr, "vfpoolctl: events: %s\n",
						strerror(errno));
				h->check = true;	/* lost events */
			}
			if (h->check && !still_ours(ctx, h)) {
				fprintf(stderr, "vfpoolctl: VF %u of %s was released%s%s%s\n",
					h->vf, h->ifname ? h->ifname : "?",
					h->why ? " (" : "",
					h->why ? h->why : "",
					h->why ? ")" : "");
				return 0;
			}
			h->check = false;
			h->why = NULL;
		}
	}
}

/* Subscribe to events before reserving, so that no release is missed. */
static void watch_events(struct nlctx *ctx, struct nlctx *ev, bool *have)
{
	*have = false;
	if (nl_open_socket(ev))
		return;
	ev->family = ctx->family;
	ev->mcgrp_events = ctx->mcgrp_events;
	if (nl_join_events(ev)) {
		fprintf(stderr, "vfpoolctl: warning: cannot join the events group (%s); a release by someone else will go unnoticed\n",
			strerror(errno));
		nl_close(ev);
		return;
	}
	*have = true;
}

/* hold, and the daemon side of detach: reserve, report, hold. */
static int reserve_and_hold(struct reserve *r, int pidfd, int ready)
{
	struct nlctx ctx, ev;
	struct held h = {};
	sigset_t mask;
	bool have_ev;
	int null, ret;

	block_signals(&mask);
	ret = nl_open(&ctx);
	if (ret)
		return ret;
	watch_events(&ctx, &ev, &have_ev);
	ret = do_reserve(&ctx, r, &h, -1);
	if (ret)
		return ret;
	vf_print_reply(h.reply);
	if (ready >= 0) {
		/* the parent may go: the reservation is ours */
		if (chdir("/"))
			fprintf(stderr, "vfpoolctl: chdir /: %s\n",
				strerror(errno));
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
		if (write(ready, "", 1) != 1)
			return -EPIPE;
		close(ready);
	}
	return hold(&ctx, have_ev ? &ev : NULL, &h, &mask, pidfd, r);
}

static int detach(struct reserve *r, int pidfd)
{
	int pfd[2], status;
	pid_t child;
	ssize_t n;
	char c;

	if (pipe2(pfd, O_CLOEXEC))
		return sys_error("pipe");
	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0)
		return sys_error("fork");
	if (child == 0) {
		close(pfd[0]);
		setsid();
		_exit(exit_status(reserve_and_hold(r, pidfd, pfd[1])));
	}
	/* parent: one byte means "reserved"; EOF means the child failed */
	close(pfd[1]);
	do {
		n = read(pfd[0], &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n == 1)
		return 0;
	/* the daemon printed why; here it is a local failure (exit 1) */
	waitpid(child, &status, 0);
	return -ECHILD;
}

/* detach pid PID: one request reserves for PID's process; then exit. */
static int detach_pid(struct reserve *r, int pidfd)
{
	struct nlctx ctx;
	struct held h = {};
	int ret;

	ret = nl_open(&ctx);
	if (ret)
		return ret;
	ret = do_reserve(&ctx, r, &h, pidfd);
	if (!ret)
		vf_print_reply(h.reply);
	nl_close(&ctx);
	close(pidfd);
	free(h.reply);
	return ret;
}

static int exec_cmd(struct reserve *r)
{
	struct nlctx ctx;
	struct held h = {};
	char buf[16];
	int fd, ret;

	ret = nl_open(&ctx);
	if (ret)
		return ret;
	ret = do_reserve(&ctx, r, &h, -1);
	if (ret)
		return ret;
	fd = mnl_socket_get_fd(ctx.nl);
	if (fcntl(fd, F_SETFD, 0))
		return sys_error("fcntl");
	setenv("VFPOOL_PF", h.ifname ? h.ifname : "", 1);
	snprintf(buf, sizeof(buf), "%u", h.vf);
	setenv("VFPOOL_VF", buf, 1);
	setenv("VFPOOL_PCI", h.pci ? h.pci : "", 1);
	setenv("VFPOOL_MAC", h.mac, 1);
	snprintf(buf, sizeof(buf), "%d", fd);
	setenv("VFPOOL_FD", buf, 1);
	fflush(stdout);
	execvp(r->cmd[0], r->cmd);
	ret = -errno;
	fprintf(stderr, "vfpoolctl: cannot execute \"%s\": %s\n", r->cmd[0],
		strerror(-ret));
	return ret;	/* the socket closes on exit: the VF is reset */
}

int cmd_vf_reserve(const struct cmd *cmd, int argc, char **argv)
{
	struct reserve r = {};
	int pidfd = -1;
	int ret;

	ret = reserve_parse(cmd, &r, argc, argv);
	if (ret)
		return ret < 0 ? ret : 0;
	if (r.mode == K_EXEC)
		return exec_cmd(&r);
	if (r.pid) {
		pidfd = sys_pidfd_open(r.pid);
		if (pidfd < 0) {
			ret = -errno;
			fprintf(stderr, "vfpoolctl: pid %d: %s\n", r.pid,
				strerror(-ret));
			return ret;
		}
	}
	if (r.mode == K_DETACH && pidfd >= 0)
		return detach_pid(&r, pidfd);
	if (r.mode == K_DETACH)
		return detach(&r, pidfd);
	return reserve_and_hold(&r, pidfd, -1);
}
