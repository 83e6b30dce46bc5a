// SPDX-License-Identifier: GPL-2.0
/*
 * bench_vfpool: vfpool against rtnetlink, side by side, in one process.
 *
 * Run by bench_vfpool.sh (make bench) and, with --quick, by
 * vfpool_bench_quick.sh (make check), which create the netdevsim PFs:
 *
 *   --pf-big  IF   N VFs, enrolled here (the vfpool side of P1..P5)
 *   --pf-small IF  M VFs, enrolled here (P1 with a small PF)
 *   --pf-raw  IF   N VFs, never enrolled (the rtnetlink side of P2, P3)
 *   --budget  S    stop starting repetitions after S seconds (default 240,
 *                  under the guest's 300 s per test); a failed case says so
 *
 * Every measurement is taken --reps times (default 5) and reported as
 * min/median/max; ratios are of medians.  Inside a repetition the two
 * sides alternate operation by operation and the repetition's value is the
 * median of its operations (P1, P2, P4, floor), so that other work on the
 * host slows both sides alike.  Both sides are netlink clients
 * in this program, so process start-up never enters a ratio (the exec'd
 * `ip -d link show` is reported beside them, as people run it).
 *
 *   P1  list a PF: vfpool VF dump vs RTM_GETLINK (RTEXT_FILTER_VF, as
 *       `ip -d link show dev PF`), VFs returned and time per VF
 *   P2  reserve (MAC+VLAN) and release until the reset has landed: the
 *       release's reply says the VF is free (vfpool writes the reset
 *       before replying; --quick reads each VF back through the driver);
 *       vs RTM_SETLINK IFLA_VFINFO_LIST MAC+VLAN then zero, one VF per
 *       message.  Diagnostic row: the same cycle waiting instead for the
 *       vf-released-ntf on a listener
 *   P3  a holder of N VFs is SIGKILLed: time until N vf-released-ntf; vs
 *       RTM_SETLINK zeroing N VFs.  The datagrams that brought the events
 *       are counted: a kill's events come several to a datagram
 *   P4  reserve latency with 0 vs N-1 VFs held
 *   P5  16 processes doing P2 at once: aggregate cycles/s vs one process;
 *       a VF handed to two clients at once is a double allocation.  Two
 *       diagnostic rows beside it: the same with each client waiting for
 *       its event on its own listener (every event wakes all 16), and 16
 *       rtnetlink clients doing P2's rtnetlink cycle vs one (how far 16
 *       processes scale at all on this machine)
 *   floor    vf-get of one VF (a generic netlink round trip doing no work)
 *            vs the reserve of P4 with 0 held
 *   driver   time inside netdevsim's ndo_set_vf_* / ndo_get_vf_config
 *            during P3 (ftrace function_graph, no hook in vfpool.ko) as a
 *            fraction of P3's total; --trace F1,F2,... adds kernel functions
 *            to that traced kill and prints the time spent in each (the
 *            profile of Documentation/performance.rst)
 *   memory   Slab + VmallocUsed growth per enrolled VF (pool-add of the big
 *            PF, median of --reps)
 *
 * Output: KTAP (the counting checks are the cases; timings are
 * diagnostics), a table, and one "# BENCH_JSON {...}" line, also written to
 * --json FILE.  Timing never fails a case: targets are judged by people
 * (Documentation/performance.rst).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <linux/vfpool.h>

#define MAX_REPS	32
#define P5_CLIENTS	16
#define BIGBUF		(1 << 20)

static int reps = 5;
static uint64_t deadline;	/* now_ns() by which to stop starting work */
static bool out_of_time;
static bool quick;
/*
 * --trace: more functions to time in the traced kill; vfpool_work_fn (the
 * reset work, apart from the process's exit and the wake-ups around it)
 * unless given.
 */
static const char *trace_extra = "vfpool_work_fn";
/* --driver: the PF driver's ndo functions are PREFIXset_vf_*, PREFIXget_vf_config */
static const char *driver = "nsim_";
static uint16_t family;
static uint32_t events_grp;

/* ---- small utilities ---- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * The guest runner kills a test after its timeout: a slow module must still
 * get its table, with what fitted in --budget, and a failed case saying so.
 */
static bool in_budget(void)
{
	if (now_ns() < deadline)
		return true;
	out_of_time = true;
	return false;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# bench_vfpool: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	printf("Bail out! setup failed\n");
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* min/median/max of up to MAX_REPS samples */
struct stat3 {
	double v[MAX_REPS];
	int n;
	double min, med, max;
};

static void st_add(struct stat3 *s, double v)
{
	if (s->n < MAX_REPS)
		s->v[s->n++] = v;
}

static void st_done(struct stat3 *s)
{
	double t[MAX_REPS];

	if (!s->n) {
		s->min = s->med = s->max = 0;
		return;
	}
	memcpy(t, s->v, sizeof(double) * s->n);
	qsort(t, s->n, sizeof(double), cmp_double);
	s->min = t[0];
	s->max = t[s->n - 1];
	s->med = s->n % 2 ? t[s->n / 2] : (t[s->n / 2 - 1] + t[s->n / 2]) / 2;
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/*
 * The median of @n samples (reordered).  Each repetition's value is the
 * median of its operations, taken alternately on both sides: a host busy
 * with other work then slows both alike and preemption spikes drop out.
 */
static double median_of(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- KTAP ---- */

static int ktap_n, ktap_fails;

static void ktap_result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	ktap_n++;
	if (!ok) {
		ktap_fails++;
		printf("# ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	printf("%sok %d %s\n", ok ? "" : "not ", ktap_n, name);
	fflush(stdout);
}

/* ---- netlink plumbing ---- */

struct nl {
	struct mnl_socket *s;
	uint32_t portid;
	uint32_t seq;
	char *buf;
};

static void nl_open(struct nl *n, int bus)
{
	int sz = 32 << 20;

	n->s = mnl_socket_open(bus);
	if (!n->s || mnl_socket_bind(n->s, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket: %s", strerror(errno));
	n->portid = mnl_socket_get_portid(n->s);
	n->seq = (uint32_t)time(NULL);
	n->buf = malloc(BIGBUF);
	if (!n->buf)
		die("out of memory");
	/* Events of thousands of VFs must not overrun a listener. */
	setsockopt(mnl_socket_get_fd(n->s), SOL_SOCKET, SO_RCVBUFFORCE,
		   &sz, sizeof(sz));
}

static void nl_close(struct nl *n)
{
	mnl_socket_close(n->s);
	free(n->buf);
	n->s = NULL;
}

static struct nlmsghdr *genl_req(struct nl *n, char *buf, uint8_t cmd,
				 uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VFPOOL_FAMILY_VERSION;
	return nlh;
}

/* A parsed vf message (reply, dump part or event). */
struct vfmsg {
	int cmd;
	uint32_t ifindex, vf, state, reason;
	uint8_t mac[6];
	uint16_t vlan;
	bool has_vf;
};

static int vf_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, VFPOOL_A_VF_MAX) > 0)
		tb[type] = a;
	return MNL_CB_OK;
}

static void vf_parse(const struct nlmsghdr *nlh, struct vfmsg *m)
{
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1] = {};
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	memset(m, 0, sizeof(*m));
	m->cmd = g->cmd;
	mnl_attr_parse(nlh, sizeof(*g), vf_attr_cb, tb);
	if (tb[VFPOOL_A_VF_IFINDEX])
		m->ifindex = mnl_attr_get_u32(tb[VFPOOL_A_VF_IFINDEX]);
	if (tb[VFPOOL_A_VF_VF]) {
		m->vf = mnl_attr_get_u32(tb[VFPOOL_A_VF_VF]);
		m->has_vf = true;
	}
	if (tb[VFPOOL_A_VF_STATE])
		m->state = mnl_attr_get_u32(tb[VFPOOL_A_VF_STATE]);
	if (tb[VFPOOL_A_VF_REASON])
		m->reason = mnl_attr_get_u32(tb[VFPOOL_A_VF_REASON]);
	if (tb[VFPOOL_A_VF_MAC] && mnl_attr_get_payload_len(tb[VFPOOL_A_VF_MAC]) == 6)
		memcpy(m->mac, mnl_attr_get_payload(tb[VFPOOL_A_VF_MAC]), 6);
	if (tb[VFPOOL_A_VF_VLAN])
		m->vlan = mnl_attr_get_u16(tb[VFPOOL_A_VF_VLAN]);
}

/* Collects vf messages of a reply or dump. */
struct collect {
	struct vfmsg *v;
	int n, cap;
	bool stop_after_one;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	struct vfmsg m;

	vf_parse(nlh, &m);
	if (c->n < c->cap)
		c->v[c->n] = m;
	c->n++;
	return c->stop_after_one ? MNL_CB_STOP : MNL_CB_OK;
}

/*
 * Send @nlh and run the replies through @cb until the ack, NLMSG_DONE or
 * (for a request without NLM_F_ACK) @cb saying stop.  0 or -errno.
 */
static int nl_talk(struct nl *n, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	int ret;

	if (mnl_socket_sendto(n->s, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(n->s, n->buf, BIGBUF);
		if (ret < 0)
			return -errno;
		ret = mnl_cb_run(n->buf, ret, seq, n->portid, cb, data);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a, *grp, *ga;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(grp, a) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(ga, grp) {
				if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(ga);
				if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(ga);
			}
			if (name && !strcmp(name, VFPOOL_MCGRP_EVENTS))
				events_grp = id;
		}
	}
	return MNL_CB_OK;
}

static void resolve_family(struct nl *n)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VFPOOL_FAMILY_NAME);
	if (nl_talk(n, nlh, family_cb, NULL) || !family || !events_grp)
		die("generic netlink family %s not found", VFPOOL_FAMILY_NAME);
}

/* ---- vfpool requests ---- */

static int vp_reserve(struct nl *n, int ifindex, const uint8_t *mac,
		      uint16_t vlan, uint32_t *vf)
{
	char buf[256];
	struct nlmsghdr *nlh = genl_req(n, buf, VFPOOL_CMD_VF_RESERVE, 0);
	struct vfmsg m;
	struct collect c = { .v = &m, .cap = 1, .stop_after_one = true };
	int err;

	mnl_attr_put_u32(nlh, VFPOOL_A_VF_IFINDEX, ifindex);
	mnl_attr_put(nlh, VFPOOL_A_VF_MAC, 6, mac);
	mnl_attr_put_u16(nlh, VFPOOL_A_VF_VLAN, vlan);
	err = nl_talk(n, nlh, collect_cb, &c);
	if (!err && (c.n != 1 || !m.has_vf))
		err = -EPROTO;
	if (!err)
		*vf = m.vf;
	return err;
}

/*
 * Release @vf; *@state is the VF's state in the reply.  The reply is built
 * after the reset was written: VFPOOL_VF_STATE_FREE means it has landed.
 */
static int vp_release(struct nl *n, int ifindex, uint32_t vf, uint32_t *state)
{
	char buf[256];
	struct nlmsghdr *nlh = genl_req(n, buf, VFPOOL_CMD_VF_RELEASE, NLM_F_ACK);
	struct vfmsg m;
	struct collect c = { .v = &m, .cap = 1 };
	int err;

	mnl_attr_put_u32(nlh, VFPOOL_A_VF_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_VF, vf);
	err = nl_talk(n, nlh, collect_cb, &c);
	if (!err && (c.n != 1 || m.vf != vf))
		err = -EPROTO;
	if (!err)
		*state = m.state;
	return err;
}

/* vf-get of one VF: the driver's live configuration, into @m if given. */
static int vp_get(struct nl *n, int ifindex, uint32_t vf, struct vfmsg *m)
{
	char buf[256];
	struct nlmsghdr *nlh = genl_req(n, buf, VFPOOL_CMD_VF_GET, 0);
	struct vfmsg mm;
	struct collect c = { .v = m ?: &mm, .cap = 1, .stop_after_one = true };
	int err;

	mnl_attr_put_u32(nlh, VFPOOL_A_VF_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, VFPOOL_A_VF_VF, vf);
	err = nl_talk(n, nlh, collect_cb, &c);
	return err ?: (c.n == 1 && c.v->vf == vf ? 0 : -EPROTO);
}

/* Dump the PF's VFs into @v (up to @cap); returns how many came, or -errno. */
static int vp_dump(struct nl *n, int ifindex, struct vfmsg *v, int cap)
{
	char buf[256];
	struct nlmsghdr *nlh = genl_req(n, buf, VFPOOL_CMD_VF_GET, NLM_F_DUMP);
	struct collect c = { .v = v, .cap = cap };
	int err;

	mnl_attr_put_u32(nlh, VFPOOL_A_VF_IFINDEX, ifindex);
	err = nl_talk(n, nlh, collect_cb, &c);
	return err ?: c.n;
}

static int vp_pool(struct nl *n, uint8_t cmd, int ifindex)
{
	char buf[256];
	struct nlmsghdr *nlh = genl_req(n, buf, cmd, NLM_F_ACK);

	mnl_attr_put_u32(nlh, VFPOOL_A_POOL_IFINDEX, ifindex);
	if (cmd == VFPOOL_CMD_POOL_DEL)
		mnl_attr_put(nlh, VFPOOL_A_POOL_FORCE, 0, NULL);
	return nl_talk(n, nlh, NULL, NULL);
}

/* ---- the events listener ---- */

static void mon_open(struct nl *m)
{
	nl_open(m, NETLINK_GENERIC);
	if (mnl_socket_setsockopt(m->s, NETLINK_ADD_MEMBERSHIP, &events_grp,
				  sizeof(events_grp)) < 0)
		die("join events group: %s", strerror(errno));
}

struct mon_wait {
	uint32_t ifindex;
	int want_vf;		/* -1: any VF */
	int got;		/* vf-released-ntf seen that match */
	int datagrams;		/* recv()s that brought them */
	uint64_t first_ns;	/* now_ns() when the first one came */
};

static int mon_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mon_wait *w = data;
	struct vfmsg m;

	vf_parse(nlh, &m);
	if (m.cmd == VFPOOL_CMD_VF_RELEASED_NTF && m.ifindex == w->ifindex &&
	    (w->want_vf < 0 || (int)m.vf == w->want_vf))
		w->got++;
	return MNL_CB_OK;
}

/*
 * Read events until @want vf-released-ntf matched or @timeout_ms passed
 * without any; -ENOBUFS when events were lost.  Returns how many matched.
 */
static int mon_wait(struct nl *mon, struct mon_wait *w, int want, int timeout_ms)
{
	struct pollfd p = { .fd = mnl_socket_get_fd(mon->s), .events = POLLIN };
	int ret;

	while (w->got < want) {
		ret = poll(&p, 1, timeout_ms);
		if (ret <= 0)
			return w->got;
		ret = recv(p.fd, mon->buf, BIGBUF, 0);
		if (ret < 0)
			return errno == ENOBUFS ? -ENOBUFS : w->got;
		if (!w->datagrams++)
			w->first_ns = now_ns();
		mnl_cb_run(mon->buf, ret, 0, 0, mon_cb, w);
	}
	return w->got;
}

/* Throw away what is queued (events of setup steps). */
static void mon_drain(struct nl *mon)
{
	while (recv(mnl_socket_get_fd(mon->s), mon->buf, BIGBUF, MSG_DONTWAIT) > 0 ||
	       errno == ENOBUFS)
		;
}

/* ---- rtnetlink ---- */

static int rt_setvf(struct nl *n, int ifindex, uint32_t vf, const uint8_t *mac,
		    uint16_t vlan)
{
	char buf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *list, *info;
	struct ifla_vf_mac vm = { .vf = vf };
	struct ifla_vf_vlan vv = { .vf = vf, .vlan = vlan };

	nlh->nlmsg_type = RTM_SETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++n->seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	memcpy(vm.mac, mac, 6);
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(vm), &vm);
	mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(vv), &vv);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	return nl_talk(n, nlh, NULL, NULL);
}

struct rt_vfs {
	int listed;		/* VF entries that parsed */
	int nonzero;		/* of those, with a MAC or VLAN set */
};

static int rt_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rt_vfs *r = data;
	struct nlattr *a, *info, *f;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	/*
	 * IFLA_VFINFO_LIST's nla_len is 16 bits: past ~64 KiB it wraps and
	 * only the VFs inside the wrapped length can be parsed, as in ip.
	 */
	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) != IFLA_VFINFO_LIST)
			continue;
		mnl_attr_for_each_nested(info, a) {
			bool set = false;

			if (mnl_attr_get_type(info) != IFLA_VF_INFO)
				continue;
			mnl_attr_for_each_nested(f, info) {
				const struct ifla_vf_mac *vm;
				const struct ifla_vf_vlan *vv;
				static const uint8_t zero[6];

				if (mnl_attr_get_type(f) == IFLA_VF_MAC) {
					vm = mnl_attr_get_payload(f);
					set |= !!memcmp(vm->mac, zero, 6);
				} else if (mnl_attr_get_type(f) == IFLA_VF_VLAN) {
					vv = mnl_attr_get_payload(f);
					set |= vv->vlan != 0;
				}
			}
			r->listed++;
			r->nonzero += set;
		}
		break;
	}
	return MNL_CB_STOP;
}

/* RTM_GETLINK of one PF with its VFs, as `ip -d link show dev PF`. */
static int rt_getlink(struct nl *n, int ifindex, struct rt_vfs *r)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	memset(r, 0, sizeof(*r));
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++n->seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
	return nl_talk(n, nlh, rt_link_cb, r);
}

/* ---- the exec'd tools, as people run them ---- */

/* Run argv with stdout into a pipe; count lines starting with @prefix. */
static int run_count(char *const argv[], const char *prefix, double *secs)
{
	int fd[2], status, count = 0;
	uint64_t t0 = now_ns();
	char line[4096];
	FILE *f;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix)))
			count++;
	fclose(f);
	waitpid(pid, &status, 0);
	*secs = (now_ns() - t0) / 1e9;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? count : -1;
}

static const char *ip_path(void)
{
	static const char *const c[] = { "/usr/sbin/ip", "/sbin/ip", "/bin/ip",
					  "/usr/bin/ip" };
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (!access(c[i], X_OK))
			return c[i];
	return "/sbin/ip";
}

/* ---- the benchmark ---- */

struct pf {
	const char *name;
	int ifindex;
	int nvfs;
};

static struct pf big, small, raw;
static struct nl gn, rt, mon;

static void mac_of(uint8_t *mac, int client, uint32_t k)
{
	mac[0] = 0x02;
	mac[1] = 0xbe;
	mac[2] = client;
	mac[3] = k >> 16;
	mac[4] = k >> 8;
	mac[5] = k;
}

/*
 * All VFs of @p free with MAC 0 and VLAN 0, read back twice: the vfpool
 * dump (live ndo_get_vf_config) and rtnetlink for the VFs it can list.
 */
static bool all_free_zeroed(struct pf *p, char *why, size_t len)
{
	static const uint8_t zero[6];
	struct vfmsg *v = calloc(p->nvfs + 1, sizeof(*v));
	int n, i, busy = 0, dirty = 0;
	struct rt_vfs r;

	n = vp_dump(&gn, p->ifindex, v, p->nvfs + 1);
	for (i = 0; i < n && i < p->nvfs; i++) {
		busy += v[i].state != VFPOOL_VF_STATE_FREE;
		dirty += memcmp(v[i].mac, zero, 6) || v[i].vlan;
	}
	free(v);
	if (rt_getlink(&rt, p->ifindex, &r))
		r.listed = -1;
	snprintf(why, len, "%s: dump %d/%d VFs, %d not free, %d not zero; rtnetlink %d listed, %d not zero",
		 p->name, n, p->nvfs, busy, dirty, r.listed, r.nonzero);
	return n == p->nvfs && !busy && !dirty && r.listed > 0 && !r.nonzero;
}

/* P1: one PF listed by both. */
struct p1 {
	struct stat3 vp, rt, ipcmd;	/* us per VF */
	int vp_listed, rt_listed, ip_listed;
};

static void bench_p1(struct pf *p, struct p1 *r)
{
	struct vfmsg *v = calloc(p->nvfs + 1, sizeof(*v));
	char *argv[] = { (char *)ip_path(), "-d", "link", "show", "dev",
			 (char *)p->name, NULL };
	int inner = quick ? 1 : 5, i, k, n;
	double a[8], b[8], c[8], secs;
	struct rt_vfs rv;
	uint64_t t0;

	for (i = 0; i < reps && in_budget(); i++) {
		for (k = 0; k < inner; k++) {
			t0 = now_ns();
			n = vp_dump(&gn, p->ifindex, v, p->nvfs + 1);
			secs = (now_ns() - t0) / 1e9;
			r->vp_listed = n;
			a[k] = n > 0 ? secs * 1e6 / n : 0;

			t0 = now_ns();
			n = rt_getlink(&rt, p->ifindex, &rv) ? -1 : rv.listed;
			secs = (now_ns() - t0) / 1e9;
			r->rt_listed = n;
			b[k] = n > 0 ? secs * 1e6 / n : 0;
		}
		/* ip itself once per repetition: it costs a process each. */
		n = run_count(argv, "    vf ", &secs);
		r->ip_listed = n;
		c[0] = n > 0 ? secs * 1e6 / n : 0;
		st_add(&r->vp, median_of(a, inner));
		st_add(&r->rt, median_of(b, inner));
		st_add(&r->ipcmd, c[0]);
	}
	st_done(&r->vp);
	st_done(&r->rt);
	st_done(&r->ipcmd);
	free(v);
}

/*
 * One P2 cycle on the vfpool side: reserve any free VF with MAC+VLAN and
 * release it, until the reset has landed: the release's reply says the VF
 * is free (vfpool writes the reset before it replies), or, with a listener
 * @m, until its vf-released-ntf came.  @verify reads the VF back through
 * the driver (vf-get) right after the reply.  @owners (shared by P5's
 * clients) detects a VF handed out twice.  0 or -errno.
 */
static int p2_cycle(struct nl *n, struct nl *m, bool verify, int client,
		    uint32_t k, int *owners, int *doubles)
{
	static const uint8_t zero[6];
	struct mon_wait w = { .ifindex = big.ifindex };
	uint32_t vf, state;
	uint8_t mac[6];
	int expected = 0;
	struct vfmsg g;
	int err;

	mac_of(mac, client, k);
	err = vp_reserve(n, big.ifindex, mac, k % 4094 + 1, &vf);
	if (err)
		return err;
	if (vf >= (uint32_t)big.nvfs)
		return -ERANGE;
	if (owners && !__atomic_compare_exchange_n(&owners[vf], &expected,
						   client + 1, false,
						   __ATOMIC_SEQ_CST,
						   __ATOMIC_SEQ_CST))
		(*doubles)++;
	/* Given up before the release: the VF may be handed out right after. */
	if (owners)
		__atomic_store_n(&owners[vf], 0, __ATOMIC_SEQ_CST);
	/*
	 * An event of this VF index from an earlier holder may still be
	 * queued; none of ours can be, since we hold it.
	 */
	if (m)
		mon_drain(m);
	err = vp_release(n, big.ifindex, vf, &state);
	if (err)
		return err;
	if (m) {
		w.want_vf = vf;
		return mon_wait(m, &w, 1, 10000) == 1 ? 0 : -ETIMEDOUT;
	}
	/* netdevsim never refuses a reset for now: free, or it is a bug. */
	if (state != VFPOOL_VF_STATE_FREE)
		return -EINPROGRESS;
	if (!verify)
		return 0;
	err = vp_get(n, big.ifindex, vf, &g);
	if (!err && (g.state != VFPOOL_VF_STATE_FREE || memcmp(g.mac, zero, 6) ||
		     g.vlan))
		err = -EIO;
	return err;
}

static int rt_cycle(uint32_t vf, uint32_t k)
{
	static const uint8_t zero[6];
	uint8_t mac[6];
	int err;

	mac_of(mac, 0, k);
	err = rt_setvf(&rt, raw.ifindex, vf, mac, k % 4094 + 1);
	return err ?: rt_setvf(&rt, raw.ifindex, vf, zero, 0);
}

struct p2 {
	struct stat3 vp, ev, rt;	/* us per cycle: reply, event, rtnetlink */
	int errors;
};

/*
 * Three sides alternate cycle by cycle: vfpool until the release's reply,
 * vfpool until the event on a listener (diagnostic), rtnetlink.  In quick
 * mode every reply-side cycle is read back through the driver.
 */
static void bench_p2(int cycles, struct p2 *r)
{
	double *a = calloc(cycles, sizeof(double));
	double *b = calloc(cycles, sizeof(double));
	double *e = calloc(cycles, sizeof(double));
	uint64_t t0;
	int i, c;

	/* Warm up every side, untimed. */
	for (c = 0; c < 5; c++) {
		r->errors += !!p2_cycle(&gn, NULL, true, 0, 0x7fff00 + c, NULL, NULL);
		r->errors += !!p2_cycle(&gn, &mon, false, 0, 0x7ffe00 + c, NULL, NULL);
		r->errors += !!rt_cycle(c, c);
	}
	for (i = 0; i < reps && in_budget(); i++) {
		mon_drain(&mon);
		for (c = 0; c < cycles; c++) {
			t0 = now_ns();
			r->errors += !!p2_cycle(&gn, NULL, quick, 0, i * cycles + c, NULL, NULL);
			a[c] = (now_ns() - t0) / 1e3;
			t0 = now_ns();
			r->errors += !!p2_cycle(&gn, &mon, false, 0, 0x400000 + i * cycles + c,
						NULL, NULL);
			e[c] = (now_ns() - t0) / 1e3;
			t0 = now_ns();
			r->errors += !!rt_cycle(c % raw.nvfs, i * cycles + c);
			b[c] = (now_ns() - t0) / 1e3;
		}
		st_add(&r->vp, median_of(a, cycles));
		st_add(&r->ev, median_of(e, cycles));
		st_add(&r->rt, median_of(b, cycles));
	}
	st_done(&r->vp);
	st_done(&r->ev);
	st_done(&r->rt);
	free(a);
	free(b);
	free(e);
}

/*
 * A child reserves @count VFs of the big PF (MAC+VLAN) on one socket and
 * waits to be killed; returns its pid once everything is held.
 */
static pid_t spawn_holder(int count)
{
	int fd[2];
	char ok = 0;
	pid_t pid;

	if (pipe(fd))
		die("pipe");
	pid = fork();
	if (!pid) {
		struct nl n;
		uint8_t mac[6];
		uint32_t vf;
		int i;

		close(fd[0]);
		nl_open(&n, NETLINK_GENERIC);
		for (i = 0; i < count; i++) {
			int err;

			mac_of(mac, 0x40, i);
			err = vp_reserve(&n, big.ifindex, mac, i % 4094 + 1, &vf);
			if (err) {
				fprintf(stderr, "bench_vfpool: holder: reserve %d of %d: %s\n",
					i + 1, count, strerror(-err));
				_exit(1);
			}
		}
		ok = 1;
		if (write(fd[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (read(fd[0], &ok, 1) != 1 || !ok) {
		waitpid(pid, NULL, 0);
		close(fd[0]);
		return -1;
	}
	close(fd[0]);
	return pid;
}

/* ---- ftrace: time inside netdevsim's VF ndo calls ---- */

static const char *tracefs;

static bool tr_write(const char *file, const char *val, bool append)
{
	char path[256];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", tracefs, file);
	fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

/*
 * --trace: add each function to the filter (one missing, e.g. inlined, is
 * reported and skipped); funcgraph-tail names it on its closing line, which
 * carries the duration.
 */
static bool tr_filter_extra(void)
{
	char *list, *fn, *save = NULL, line[128];

	if (!trace_extra)
		return true;
	list = strdup(trace_extra);
	if (!list || !tr_write("options/funcgraph-tail", "1", false)) {
		free(list);
		return false;
	}
	for (fn = strtok_r(list, ",", &save); fn; fn = strtok_r(NULL, ",", &save)) {
		snprintf(line, sizeof(line), "%s\n", fn);
		if (!tr_write("set_ftrace_filter", line, true))
			printf("# trace: %s cannot be traced, left out\n", fn);
	}
	free(list);
	return true;
}

static bool tr_setup(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing",
					    "/sys/kernel/debug/tracing" };
	char p[128], set[80], get[80];
	unsigned int i;

	for (i = 0; i < 2 && !tracefs; i++) {
		snprintf(p, sizeof(p), "%s/available_tracers", dirs[i]);
		if (!access(p, R_OK))
			tracefs = dirs[i];
	}
	if (!tracefs && !mount("tracefs", dirs[0], "tracefs", 0, NULL))
		tracefs = dirs[0];
	if (!tracefs)
		return false;
	snprintf(set, sizeof(set), "%sset_vf_*\n", driver);
	snprintf(get, sizeof(get), "%sget_vf_config\n", driver);
	return tr_write("tracing_on", "0", false) &&
	       tr_write("current_tracer", "nop", false) &&
	       tr_write("buffer_size_kb", "16384", false) &&
	       tr_write("set_ftrace_filter", set, false) &&
	       tr_write("set_ftrace_filter", get, true) &&
	       tr_filter_extra() &&
	       tr_write("trace", "", false) &&
	       tr_write("current_tracer", "function_graph", false);
}

static void tr_teardown(void)
{
	if (!tracefs)
		return;
	tr_write("tracing_on", "0", false);
	tr_write("current_tracer", "nop", false);
	tr_write("set_ftrace_filter", "", false);
	if (trace_extra)
		tr_write("options/funcgraph-tail", "0", false);
	tr_write("trace", "", false);
	tr_write("buffer_size_kb", "1408", false);
}

/* Per ndo function: calls and time, for the table. */
struct tr_fn {
	char name[40];
	int calls;
	double us;
};

#define TR_FNS	24
static struct tr_fn tr_fns[TR_FNS];

static void tr_account(const char *fn, double us)
{
	unsigned int i, len = strcspn(fn, "( ");

	for (i = 0; i < TR_FNS; i++) {
		if (!tr_fns[i].name[0] && len < sizeof(tr_fns[i].name))
			memcpy(tr_fns[i].name, fn, len);
		if (!strncmp(tr_fns[i].name, fn, len) && !tr_fns[i].name[len]) {
			tr_fns[i].calls++;
			tr_fns[i].us += us;
			return;
		}
	}
}

/*
 * Sum the durations of the traced ndo calls (leaves); -1 if unreadable.
 * The --trace functions are accounted too, by their closing lines, but not
 * summed: they are vfpool's and contain the ndo calls.
 */
static double tr_sum_us(int *calls)
{
	char path[256], line[512];
	double sum = 0, d;
	char *us, *s, *fn;
	FILE *f;

	*calls = 0;
	snprintf(path, sizeof(path), "%s/trace", tracefs);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		us = line[0] == '#' ? NULL : strstr(line, " us ");
		if (!us)
			continue;
		/*
		 * "  1) + 12.345 us   |  nsim_set_vf_mac [netdevsim]();" (the
		 * driver's), or
		 * "  1) + 42.345 us   |  } " and a C comment naming the
		 * function (vfpool_fill_vf [vfpool]) for a --trace one, or
		 * "  1)   2.345 us    |  vfpool_fill_vf [vfpool]();".
		 */
		s = us;
		while (s > line && (s[-1] == '.' || (s[-1] >= '0' && s[-1] <= '9')))
			s--;
		d = strtod(s, NULL);
		fn = strstr(line, "} /* ");
		if (fn) {
			/* A driver function with a --trace one under it. */
			if (!strncmp(fn + 5, driver, strlen(driver))) {
				sum += d;
				(*calls)++;
			}
			tr_account(fn + 5, d);
			continue;
		}
		fn = strstr(line, driver);
		if (!fn) {
			/* A --trace function that called no traced one. */
			fn = strchr(line, '|');
			if (fn && trace_extra) {
				fn += strspn(fn, "| ");
				tr_account(fn, d);
			}
			continue;
		}
		sum += d;
		tr_account(fn, d);
		(*calls)++;
	}
	fclose(f);
	return sum;
}

struct p3 {
	struct stat3 vp, rt;	/* ms for N VFs */
	struct stat3 first;	/* ms until the first event */
	int released_min;	/* fewest vf-released-ntf seen in a rep */
	int datagrams_max;	/* most datagrams that brought a rep's events */
	bool lost;		/* events overran the listener */
	int errors;
	double traced_ms, driver_us, driver_share;
	double work_us;		/* in vfpool_work_fn, if traced */
	int driver_calls;
	bool traced;
};

/*
 * One kill; returns ms until @n events, sets *got (-1: no holder),
 * *datagrams and *first (ms until the first event came: mostly the
 * listener waiting for a CPU, see Documentation/performance.rst).  With
 * @traced, the tracer runs from the kill until the last event, its buffer
 * emptied first.
 */
static double p3_kill(int n, bool traced, int *got, int *datagrams,
		      double *first)
{
	struct mon_wait w = { .ifindex = big.ifindex, .want_vf = -1 };
	uint64_t t0;
	double ms;
	pid_t pid;

	pid = spawn_holder(n);
	if (pid < 0) {
		*got = -1;
		return 0;
	}
	mon_drain(&mon);
	if (traced) {
		tr_write("trace", "", false);
		tr_write("tracing_on", "1", false);
	}
	t0 = now_ns();
	kill(pid, SIGKILL);
	*got = mon_wait(&mon, &w, n, 30000);
	ms = (now_ns() - t0) / 1e6;
	if (traced)
		tr_write("tracing_on", "0", false);
	*datagrams = w.datagrams;
	*first = w.datagrams ? (w.first_ns - t0) / 1e6 : 0;
	waitpid(pid, NULL, 0);
	return ms;
}

static void p3_traced(int n, int kills, struct p3 *r);

static void bench_p3(struct p3 *r)
{
	static const uint8_t zero[6];
	int n = big.nvfs, i, v, got, dg;
	double first;
	uint8_t mac[6];
	uint64_t t0;
	double ms;

	r->released_min = n;
	for (i = 0; i < reps && in_budget(); i++) {
		ms = p3_kill(n, false, &got, &dg, &first);
		st_add(&r->first, first);
		if (got == -ENOBUFS)
			r->lost = true;
		if (dg > r->datagrams_max)
			r->datagrams_max = dg;
		if (got < r->released_min)
			r->released_min = got;
		st_add(&r->vp, ms);

		for (v = 0; v < raw.nvfs; v++) {
			mac_of(mac, 0x41, v);
			r->errors += !!rt_setvf(&rt, raw.ifindex, v, mac, v % 4094 + 1);
		}
		t0 = now_ns();
		for (v = 0; v < raw.nvfs; v++)
			r->errors += !!rt_setvf(&rt, raw.ifindex, v, zero, 0);
		st_add(&r->rt, (now_ns() - t0) / 1e6);
	}
	st_done(&r->vp);
	st_done(&r->rt);
	st_done(&r->first);

	/* Driver share: one more kill, traced. */
	if (!quick && in_budget())
		p3_traced(n, 1, r);
}

/*
 * Driver share: @kills kills of a holder of @n VFs under the
 * function_graph tracer on the driver's ndo functions (no hook in
 * vfpool.ko); the time inside them over the kills' total, both from the
 * traced runs.  Sets r->traced (every kill's events came, calls were
 * traced) and, with r->errors, counts kills whose VFs were not all freed.
 */
static void p3_traced(int n, int kills, struct p3 *r)
{
	double first, ms, us;
	int got, dg, k, calls;

	r->traced = false;
	if (!tr_setup()) {
		tr_teardown();
		return;
	}
	/*
	 * Enabling the tracer patches the traced functions: under TCG that
	 * throws translated code away, so a first traced kill only warms up.
	 */
	p3_kill(n, true, &got, &dg, &first);
	r->traced = got == n;
	r->traced_ms = r->driver_us = 0;
	r->driver_calls = 0;
	memset(tr_fns, 0, sizeof(tr_fns));
	for (k = 0; k < kills && in_budget(); k++) {
		ms = p3_kill(n, true, &got, &dg, &first);
		if (got < 0) {
			r->traced = false;
			break;
		}
		r->traced_ms += ms;
		us = tr_sum_us(&calls);
		r->traced = r->traced && got == n && us >= 0;
		if (got != n)
			r->errors++;
		r->driver_us += us;
		r->driver_calls += calls;
	}
	r->traced = r->traced && k == kills && r->driver_calls > 0;
	r->driver_share = ratio(r->driver_us / 1e3, r->traced_ms);
	for (k = 0; k < TR_FNS && tr_fns[k].name[0]; k++)
		if (!strcmp(tr_fns[k].name, "vfpool_work_fn"))
			r->work_us = tr_fns[k].us;
	tr_teardown();
}

struct p4 {
	struct stat3 idle, loaded;	/* us per reserve */
	int errors;
};

/*
 * @k reserves of any free VF of the big PF, each released (until its
 * reply says free) untimed; with @floor, each followed by a timed vf-get
 * of one VF.  Sets the medians in microseconds.
 */
static void reserve_latency(struct nl *n, int k, int *errors, double *res,
			    double *floor)
{
	double a[64], b[64];
	uint32_t vf, state;
	uint8_t mac[6];
	uint64_t t0;
	int i;

	for (i = 0; i < k && i < 64; i++) {
		mac_of(mac, 0x42, i);
		t0 = now_ns();
		if (vp_reserve(n, big.ifindex, mac, 100, &vf)) {
			(*errors)++;
			a[i] = 0;
			continue;
		}
		a[i] = (now_ns() - t0) / 1e3;
		if (vp_release(n, big.ifindex, vf, &state) ||
		    state != VFPOOL_VF_STATE_FREE)
			(*errors)++;
		if (!floor)
			continue;
		t0 = now_ns();
		*errors += !!vp_get(n, big.ifindex, i % big.nvfs, NULL);
		b[i] = (now_ns() - t0) / 1e3;
	}
	*res = median_of(a, i);
	if (floor)
		*floor = median_of(b, i);
}

static void bench_p4(int k, struct p4 *r, struct stat3 *floor)
{
	double res, fl;
	pid_t pid;
	int i;

	/* Warm up (TCG translates code on first use), untimed. */
	reserve_latency(&gn, k, &r->errors, &res, &fl);
	for (i = 0; i < reps && in_budget(); i++) {
		mon_drain(&mon);
		reserve_latency(&gn, k, &r->errors, &res, &fl);
		st_add(&r->idle, res);
		st_add(floor, fl);
	}
	pid = in_budget() ? spawn_holder(big.nvfs - 1) : -1;
	if (pid < 0) {
		r->errors += !out_of_time;
	} else {
		for (i = 0; i < reps && in_budget(); i++) {
			mon_drain(&mon);
			reserve_latency(&gn, k, &r->errors, &res, NULL);
			st_add(&r->loaded, res);
		}
		{
			struct mon_wait w = { .ifindex = big.ifindex, .want_vf = -1 };

			mon_drain(&mon);
			kill(pid, SIGKILL);
			if (mon_wait(&mon, &w, big.nvfs - 1, 30000) != big.nvfs - 1)
				r->errors++;
			waitpid(pid, NULL, 0);
		}
	}
	st_done(&r->idle);
	st_done(&r->loaded);
	st_done(floor);
}

struct p5_shared {
	int done[P5_CLIENTS];
	int errors[P5_CLIENTS];
	int doubles[P5_CLIENTS];
	int owners[];
};

struct p5 {
	struct stat3 one, many;		/* cycles per second */
	struct stat3 ev_one, ev_many;	/* each waiting for its event */
	struct stat3 rt_one, rt_many;	/* rtnetlink */
	int doubles, errors, cycles;
};

enum p5_mode {
	P5_REPLY,	/* P2's cycle: until the release's reply says free */
	P5_EVENTS,	/* each client waits for its vf-released-ntf */
	P5_RTNL,	/* rtnetlink: set MAC+VLAN of its own VF, zero them */
};

/* One client's cycle @k in @mode. */
static int p5_cycle(enum p5_mode mode, struct nl *n, struct nl *m, int client,
		    int k, struct p5_shared *sh)
{
	static const uint8_t zero[6];
	uint8_t mac[6];
	int err;

	switch (mode) {
	case P5_REPLY:
		return p2_cycle(n, NULL, false, client, k, sh->owners,
				&sh->doubles[client - 1]);
	case P5_EVENTS:
		return p2_cycle(n, m, false, client, k, sh->owners,
				&sh->doubles[client - 1]);
	default:
		mac_of(mac, client, k);
		err = rt_setvf(n, raw.ifindex, client % raw.nvfs, mac, k % 4094 + 1);
		return err ?: rt_setvf(n, raw.ifindex, client % raw.nvfs, zero, 0);
	}
}

/* @clients processes, @cycles each; returns cycles/s over all of them. */
static double p5_run(struct p5_shared *sh, int clients, int cycles,
		     enum p5_mode mode)
{
	pid_t pids[P5_CLIENTS];
	int go[2], i, total = 0;
	uint64_t t0;
	char c;

	memset(sh->done, 0, sizeof(sh->done));
	memset(sh->errors, 0, sizeof(sh->errors));
	memset(sh->doubles, 0, sizeof(sh->doubles));
	if (pipe(go))
		die("pipe");
	for (i = 0; i < clients; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			struct nl n, m;
			int k;

			close(go[1]);
			nl_open(&n, mode == P5_RTNL ? NETLINK_ROUTE : NETLINK_GENERIC);
			if (mode == P5_EVENTS)
				mon_open(&m);
			/* Start together: EOF when the parent closes go[1]. */
			if (read(go[0], &c, 1) < 0)
				_exit(1);
			for (k = 0; k < cycles && now_ns() < deadline; k++) {
				if (p5_cycle(mode, &n, &m, i + 1, k, sh))
					sh->errors[i]++;
				else
					sh->done[i]++;
			}
			_exit(0);
		}
	}
	close(go[0]);
	/* Let every client open its sockets before the clock starts. */
	usleep(200000);
	t0 = now_ns();
	close(go[1]);
	for (i = 0; i < clients; i++)
		waitpid(pids[i], NULL, 0);
	for (i = 0; i < clients; i++)
		total += sh->done[i];
	return total / ((now_ns() - t0) / 1e9);
}

static void bench_p5(int cycles, struct p5 *r)
{
	size_t sz = sizeof(struct p5_shared) + sizeof(int) * big.nvfs;
	struct p5_shared *sh = mmap(NULL, sz, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int i, c;

	if (sh == MAP_FAILED)
		die("mmap");
	memset(sh, 0, sz);
	for (i = 0; i < reps && in_budget(); i++) {
		st_add(&r->one, p5_run(sh, 1, cycles * 4, P5_REPLY));
		for (c = 0; c < 1; c++)
			r->errors += sh->errors[c];
		st_add(&r->many, p5_run(sh, P5_CLIENTS, cycles, P5_REPLY));
		for (c = 0; c < P5_CLIENTS; c++) {
			r->errors += sh->errors[c];
			r->doubles += sh->doubles[c];
			r->cycles += sh->done[c];
		}
		if (quick)
			continue;
		/* Diagnostics: their errors and doubles count as well. */
		st_add(&r->ev_one, p5_run(sh, 1, cycles * 4, P5_EVENTS));
		r->errors += sh->errors[0];
		st_add(&r->ev_many, p5_run(sh, P5_CLIENTS, cycles, P5_EVENTS));
		for (c = 0; c < P5_CLIENTS; c++) {
			r->errors += sh->errors[c];
			r->doubles += sh->doubles[c];
		}
		st_add(&r->rt_one, p5_run(sh, 1, cycles * 4, P5_RTNL));
		r->errors += sh->errors[0];
		st_add(&r->rt_many, p5_run(sh, P5_CLIENTS, cycles, P5_RTNL));
		for (c = 0; c < P5_CLIENTS; c++)
			r->errors += sh->errors[c];
	}
	st_done(&r->one);
	st_done(&r->many);
	st_done(&r->ev_one);
	st_done(&r->ev_many);
	st_done(&r->rt_one);
	st_done(&r->rt_many);
	munmap(sh, sz);
}

/* Slab + vmalloc in bytes, from /proc/meminfo. */
static long kmem_bytes(void)
{
	char line[256];
	long kb, sum = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Slab: %ld kB", &kb) == 1 ||
		    sscanf(line, "VmallocUsed: %ld kB", &kb) == 1)
			sum += kb;
	}
	fclose(f);
	return sum * 1024;
}

static void bench_memory(struct stat3 *r, int *errors)
{
	long m0, m1;
	int i;

	for (i = 0; i < reps && in_budget(); i++) {
		if (vp_pool(&gn, VFPOOL_CMD_POOL_DEL, big.ifindex)) {
			(*errors)++;
			break;
		}
		usleep(100000);
		m0 = kmem_bytes();
		if (vp_pool(&gn, VFPOOL_CMD_POOL_ADD, big.ifindex)) {
			(*errors)++;
			break;
		}
		m1 = kmem_bytes();
		st_add(r, (double)(m1 - m0) / big.nvfs);
	}
	st_done(r);
}

static void row(const char *what, const char *unit, struct stat3 *a,
		struct stat3 *b, const char *target)
{
	printf("# %-34s %-6s %9.1f %9.1f %9.1f | %9.1f %9.1f %9.1f | %6.3f %6.3f  %s\n",
	       what, unit, a->min, a->med, a->max, b->min, b->med, b->max,
	       ratio(a->med, b->med), ratio(a->min, b->min), target);
}

static void pf_lookup(struct pf *p, const char *name, int nvfs)
{
	p->name = name;
	p->ifindex = if_nametoindex(name);
	p->nvfs = nvfs;
	if (!p->ifindex)
		die("no interface %s", name);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench_vfpool --pf-big IF --pf-small IF --pf-raw IF [--big N] [--small M]\n"
		"                    [--reps R] [--budget S] [--quick] [--json FILE]\n"
		"                    [--trace FUNCTION,...] [--driver PREFIX]\n"
		"       bench_vfpool --share-only --pf-big IF [--big N] [--reps R] [--driver PREFIX]\n"
		"                    [--budget S] [--json FILE]\n");
	exit(2);
}

/* Each traced function's calls and time, and the driver's share of the work. */
static void print_traced(const struct p3 *p3)
{
	int i;

	for (i = 0; i < TR_FNS && tr_fns[i].name[0]; i++)
		printf("#   %-32s %d calls, %.1f ms, %.2f us each\n",
		       tr_fns[i].name, tr_fns[i].calls, tr_fns[i].us / 1e3,
		       tr_fns[i].us / tr_fns[i].calls);
	printf("# %-34s %.1f ms in vfpool_work_fn: share %.4f\n",
	       "driver share of the reset work", p3->work_us / 1e3,
	       ratio(p3->driver_us, p3->work_us));
}

/* Print the JSON line (and write it to @json), close, the exit status. */
static int bench_end(const char *js, const char *json)
{
	printf("# BENCH_JSON %s\n", js);
	if (json) {
		FILE *f = fopen(json, "w");

		if (f) {
			fprintf(f, "%s\n", js);
			fclose(f);
		}
	}
	nl_close(&mon);
	nl_close(&rt);
	nl_close(&gn);
	return ktap_fails ? 1 : 0;
}

/*
 * --share-only: the driver share of a kill on a PF of any driver (the
 * igb profile's 82576, bench_igb.sh): --reps traced kills of a holder of
 * all --big VFs of --pf-big.
 */
static int share_main(const char *nbig, int vbig, const char *json)
{
	struct p3 p3 = {};
	char why[256], js[512];

	pf_lookup(&big, nbig, vbig);
	printf("KTAP version 1\n1..3\n");
	nl_open(&gn, NETLINK_GENERIC);
	nl_open(&rt, NETLINK_ROUTE);
	resolve_family(&gn);
	mon_open(&mon);
	if (vp_pool(&gn, VFPOOL_CMD_POOL_ADD, big.ifindex))
		die("cannot enroll %s", big.name);
	printf("# driver share: %d kills of a holder of %s's %d VFs, ndo functions %sset_vf_*, %sget_vf_config\n",
	       reps, big.name, big.nvfs, driver, driver);
	p3_traced(big.nvfs, reps, &p3);
	ktap_result(p3.traced, "driver_share_measured",
		    "tracefs %s; %d ndo calls traced, %.0f us; %d kills without all their events",
		    tracefs ?: "unavailable", p3.driver_calls, p3.driver_us, p3.errors);
	ktap_result(all_free_zeroed(&big, why, sizeof(why)), "all_free_zeroed_after", "%s", why);
	ktap_result(!out_of_time, "all_repetitions_in_budget",
		    "the budget ran out before %d kills", reps);
	vp_pool(&gn, VFPOOL_CMD_POOL_DEL, big.ifindex);

	printf("# %-34s %.1f ms traced over %d kills, %d ndo calls, %.1f ms in them: share %.4f (target >= 0.5)\n",
	       "driver share (ftrace)", p3.traced_ms, reps, p3.driver_calls,
	       p3.driver_us / 1e3, p3.driver_share);
	print_traced(&p3);
	snprintf(js, sizeof(js),
		 "{\"mode\": \"share\", \"driver\": \"%s\", \"vfs\": %d, \"kills\": %d, "
		 "\"ndo_calls\": %d, \"ndo_ms\": %.2f, \"traced_ms\": %.2f, \"work_ms\": %.2f, "
		 "\"driver_share\": %.4f, \"driver_share_of_reset\": %.4f}",
		 driver, big.nvfs, reps, p3.driver_calls, p3.driver_us / 1e3,
		 p3.traced_ms, p3.work_us / 1e3, p3.driver_share,
		 ratio(p3.driver_us, p3.work_us));
	return bench_end(js, json);
}

int main(int argc, char **argv)
{
	const char *nbig = NULL, *nsmall = NULL, *nraw = NULL, *json = NULL;
	int vbig = 2048, vsmall = 256, i, p2_cycles, p4_k, p5_cycles;
	struct p1 p1s = {}, p1b = {};
	struct p2 p2 = {};
	struct p3 p3 = {};
	struct p4 p4 = {};
	struct p5 p5 = {};
	struct stat3 floor = {}, mem = {};
	int mem_errors = 0, budget = 240;
	char why[256], js[2048];
	bool ok, share_only = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			quick = true;
		else if (!strcmp(argv[i], "--share-only"))
			share_only = true;
		else if (i + 1 >= argc)
			usage();
		else if (!strcmp(argv[i], "--pf-big"))
			nbig = argv[++i];
		else if (!strcmp(argv[i], "--pf-small"))
			nsmall = argv[++i];
		else if (!strcmp(argv[i], "--pf-raw"))
			nraw = argv[++i];
		else if (!strcmp(argv[i], "--big"))
			vbig = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--small"))
			vsmall = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reps"))
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--budget"))
			budget = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--json"))
			json = argv[++i];
		else if (!strcmp(argv[i], "--trace"))
			trace_extra = argv[++i];
		else if (!strcmp(argv[i], "--driver"))
			driver = argv[++i];
		else
			usage();
	}
	if (!nbig || (!share_only && (!nsmall || !nraw)) || reps < 1 ||
	    reps > MAX_REPS || vbig < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	deadline = now_ns() + (uint64_t)budget * 1000000000ull;
	if (share_only)
		return share_main(nbig, vbig, json);
	pf_lookup(&big, nbig, vbig);
	pf_lookup(&small, nsmall, vsmall);
	pf_lookup(&raw, nraw, vbig);
	p2_cycles = quick ? 20 : 100;
	p4_k = quick ? 5 : 31;
	p5_cycles = quick ? 8 : 25;

	printf("KTAP version 1\n1..%d\n", quick ? 9 : 11);
	nl_open(&gn, NETLINK_GENERIC);
	nl_open(&rt, NETLINK_ROUTE);
	resolve_family(&gn);
	mon_open(&mon);
	if (vp_pool(&gn, VFPOOL_CMD_POOL_ADD, big.ifindex) ||
	    vp_pool(&gn, VFPOOL_CMD_POOL_ADD, small.ifindex))
		die("cannot enroll %s and %s", big.name, small.name);
	printf("# %s: reps %d; big PF %s %d VFs, small PF %s %d VFs, rtnetlink PF %s\n",
	       quick ? "quick (counting checks only)" : "full", reps,
	       big.name, big.nvfs, small.name, small.nvfs, raw.name);

	bench_p1(&small, &p1s);
	ktap_result(p1s.vp_listed == small.nvfs, "p1_listed_small",
		    "vfpool dump listed %d of %d VFs", p1s.vp_listed, small.nvfs);
	bench_p1(&big, &p1b);
	ktap_result(p1b.vp_listed == big.nvfs, "p1_listed_big",
		    "vfpool dump listed %d of %d VFs", p1b.vp_listed, big.nvfs);

	bench_p2(p2_cycles, &p2);
	ok = all_free_zeroed(&big, why, sizeof(why));
	ktap_result(!p2.errors && ok, "p2_cycles",
		    "%d failed cycles; %s", p2.errors, why);

	bench_p3(&p3);
	ok = all_free_zeroed(&big, why, sizeof(why));
	ktap_result(p3.released_min == big.nvfs && !p3.errors && ok, "p3_kill_all_free",
		    "fewest vf-released-ntf %d of %d%s, %d rtnetlink errors; %s",
		    p3.released_min, big.nvfs, p3.lost ? " (events lost)" : "",
		    p3.errors, why);
	/*
	 * A kill's events come several to a datagram (a page holds ~19); one
	 * per datagram would be the unbatched path.
	 */
	ktap_result(p3.released_min == big.nvfs &&
		    p3.datagrams_max * 4 <= big.nvfs, "p3_events_batched",
		    "at most %d datagrams brought a kill's %d events",
		    p3.datagrams_max, big.nvfs);

	bench_p4(p4_k, &p4, &floor);
	ktap_result(!p4.errors, "p4_floor_reserve", "%d failed requests", p4.errors);

	bench_p5(p5_cycles, &p5);
	ok = all_free_zeroed(&big, why, sizeof(why));
	ktap_result(!p5.doubles && !p5.errors && ok &&
		    p5.cycles == reps * P5_CLIENTS * p5_cycles,
		    "p5_no_double_allocation",
		    "%d double allocations, %d failed cycles, %d of %d done; %s",
		    p5.doubles, p5.errors, p5.cycles,
		    reps * P5_CLIENTS * p5_cycles, why);

	if (!quick) {
		ktap_result(p3.traced, "driver_share_measured",
			    "ftrace: tracefs %s, %d ndo calls traced, %.0f us",
			    tracefs ?: "unavailable", p3.driver_calls, p3.driver_us);
		bench_memory(&mem, &mem_errors);
		ktap_result(!mem_errors && mem.n == reps, "memory_measured",
			    "pool-del/pool-add of %s failed", big.name);
	}

	ok = all_free_zeroed(&big, why, sizeof(why)) &&
	     all_free_zeroed(&small, why, sizeof(why));
	ktap_result(ok, "all_free_zeroed_after", "%s", why);
	ktap_result(!out_of_time, "all_repetitions_in_budget",
		    "the %d s budget ran out: some rows have fewer than %d repetitions",
		    budget, reps);
	vp_pool(&gn, VFPOOL_CMD_POOL_DEL, big.ifindex);
	vp_pool(&gn, VFPOOL_CMD_POOL_DEL, small.ifindex);

	printf("# %-34s %-6s %9s %9s %9s | %9s %9s %9s | %6s %6s  %s\n", "", "",
	       "vfpool", "", "", "baseline", "", "", "ratio", "ratio", "target");
	printf("# %-34s %-6s %9s %9s %9s | %9s %9s %9s | %6s %6s\n", "measurement", "unit",
	       "min", "median", "max", "min", "median", "max", "median", "min");
	row("P1 list, small PF, vs RTM_GETLINK", "us/VF", &p1s.vp, &p1s.rt, "<= 0.1");
	row("P1 list, small PF, vs ip -d link", "us/VF", &p1s.vp, &p1s.ipcmd, "");
	row("P1 list, big PF, vs RTM_GETLINK", "us/VF", &p1b.vp, &p1b.rt, "<= 0.1");
	row("P1 list, big PF, vs ip -d link", "us/VF", &p1b.vp, &p1b.ipcmd, "");
	printf("#   VFs listed: small PF vfpool %d, RTM_GETLINK %d, ip %d; big PF vfpool %d, RTM_GETLINK %d, ip %d\n",
	       p1s.vp_listed, p1s.rt_listed, p1s.ip_listed,
	       p1b.vp_listed, p1b.rt_listed, p1b.ip_listed);
	row("P2 reserve+release vs SETLINK x2", "us", &p2.vp, &p2.rt, "<= 0.1");
	row("  P2 waiting for the event", "us", &p2.ev, &p2.rt, "");
	row("P3 kill holder of N vs SETLINK xN", "ms", &p3.vp, &p3.rt, "<= 0.05");
	printf("#   P3 events: %d per kill, in at most %d datagrams; the first after %.1f ms (median)\n",
	       p3.released_min, p3.datagrams_max, p3.first.med);
	row("P4 reserve, N-1 held vs 0 held", "us", &p4.loaded, &p4.idle, "<= 1.1");
	row("P5 16 clients vs 1 (cycles/s)", "1/s", &p5.many, &p5.one, ">= 1.0");
	if (!quick) {
		row("  P5 each waiting for its event", "1/s", &p5.ev_many, &p5.ev_one, "");
		row("  P5 rtnetlink 16 vs 1", "1/s", &p5.rt_many, &p5.rt_one, "");
	}
	row("floor: reserve vs vf-get", "us", &p4.idle, &floor, "<= 1.5");
	if (!quick) {
		printf("# %-34s %.1f ms traced P3 (untraced median %.1f), %d ndo calls, %.1f ms in them: share %.4f (target >= 0.5)\n",
		       "driver share (ftrace)", p3.traced_ms, p3.vp.med,
		       p3.driver_calls, p3.driver_us / 1e3, p3.driver_share);
		print_traced(&p3);
		printf("# %-34s %.1f / %.1f / %.1f bytes per VF (target <= 128)\n",
		       "memory (Slab+VmallocUsed)", mem.min, mem.med, mem.max);
	}
	printf("# P5: %d double allocations in %d cycles\n", p5.doubles, p5.cycles);
	printf("# repetitions: P1 %d, P2 %d, P3 %d, P4 %d/%d, P5 %d (asked %d)%s\n",
	       p1b.vp.n, p2.vp.n, p3.vp.n, p4.idle.n, p4.loaded.n, p5.many.n, reps,
	       out_of_time ? ", budget ran out" : "");

	snprintf(js, sizeof(js),
		 "{\"mode\": \"%s\", \"reps\": %d, \"big_vfs\": %d, \"small_vfs\": %d, "
		 "\"p1_ratio_per_vf_2048\": %.4f, \"p1_ratio_per_vf_2048_ip_cmd\": %.4f, "
		 "\"p1_ratio_per_vf_256\": %.4f, \"p1_listed_2048\": %d, "
		 "\"p1_rtnetlink_listed_2048\": %d, \"p1_ip_listed_2048\": %d, "
		 "\"p2_ratio\": %.4f, \"p2_us\": %.1f, \"p3_ratio\": %.4f, \"p3_ms\": %.1f, "
		 "\"p4_ratio\": %.4f, \"p5_scaling\": %.4f, \"p5_double_allocations\": %d, "
		 "\"floor_ratio\": %.4f, \"driver_share\": %.4f, \"bytes_per_vf\": %.1f, "
		 "\"p5_scaling_events\": %.4f, \"p5_scaling_rtnetlink\": %.4f, "
		 "\"driver_share_of_reset\": %.4f}",
		 quick ? "quick" : "full", reps, big.nvfs, small.nvfs,
		 ratio(p1b.vp.med, p1b.rt.med), ratio(p1b.vp.med, p1b.ipcmd.med),
		 ratio(p1s.vp.med, p1s.rt.med), p1b.vp_listed, p1b.rt_listed,
		 p1b.ip_listed, ratio(p2.vp.med, p2.rt.med), p2.vp.med,
		 ratio(p3.vp.med, p3.rt.med), p3.vp.med,
		 ratio(p4.loaded.med, p4.idle.med), ratio(p5.many.med, p5.one.med),
		 p5.doubles, ratio(p4.idle.med, floor.med), p3.driver_share, mem.med,
		 ratio(p5.ev_many.med, p5.ev_one.med),
		 ratio(p5.rt_many.med, p5.rt_one.med),
		 ratio(p3.driver_us, p3.work_us));
	return bench_end(js, json);
}
