// SPDX-License-Identifier: GPL-2.0
/*
 * Socket-lifetime tests of vfpool, written against libnl-genl-3 (libvirt's
 * netlink library) so that a second, independent client exercises the
 * family.  VF state is read back with iproute2 (ip -j link show) as well.
 *
 * Run by vfpool_sockets.sh (same name), which loads the module, creates a netdevsim PF
 * with VFPOOL_TEST_NVFS VFs, enrolls it, and passes its name in
 * VFPOOL_TEST_PF.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/vfpool.h>

#include "kselftest_harness.h"

/*
 * The harness gives a test 30 s; on the KASAN guest under TCG, 16 holders
 * and their resets take longer.  The guest runner bounds the whole script.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600

static int family_id;

struct vf_reply {
	int vf;
	int state;
	char owner[VFPOOL_OWNER_LEN];
};

static struct nl_sock *vp_sock(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk || genl_connect(sk))
		return NULL;
	if (!family_id)
		family_id = genl_ctrl_resolve(sk, VFPOOL_FAMILY_NAME);
	return family_id > 0 ? sk : NULL;
}

static int vp_parse_vf(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VFPOOL_A_VF_MAX + 1];
	struct vf_reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VFPOOL_A_VF_MAX, NULL))
		return NL_SKIP;
	if (tb[VFPOOL_A_VF_VF])
		r->vf = nla_get_u32(tb[VFPOOL_A_VF_VF]);
	if (tb[VFPOOL_A_VF_STATE])
		r->state = nla_get_u32(tb[VFPOOL_A_VF_STATE]);
	if (tb[VFPOOL_A_VF_OWNER])
		nla_strlcpy(r->owner, tb[VFPOOL_A_VF_OWNER], sizeof(r->owner));
	return NL_OK;
}

static int vp_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	(void)nla;
	*(int *)arg = e->error;
	return NL_STOP;
}

static int vp_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 0;
	return NL_STOP;
}

/* Send one request and wait for its reply and ack: 0 or -errno. */
static int vp_request(struct nl_sock *sk, struct nl_msg *msg,
		      struct vf_reply *r)
{
	int err = 1, nlerr;

	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, vp_parse_vf, r);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, vp_ack, &err);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, vp_error, &err);
	nlerr = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (nlerr < 0)
		return -EIO;
	while (err > 0)
		if (nl_recvmsgs_default(sk) < 0 && err > 0)
			return -EIO;
	return err;
}

static struct nl_msg *vp_msg(int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_id, 0, flags, cmd,
		    VFPOOL_FAMILY_VERSION);
	return msg;
}

/* Reserve VF @vf (or any free one if < 0) of @pf: the VF index or -errno. */
static int vp_reserve(struct nl_sock *sk, const char *pf, int vf,
		      const unsigned char *mac, int vlan, const char *owner)
{
	struct nl_msg *msg = vp_msg(VFPOOL_CMD_VF_RESERVE, 0);
	struct vf_reply r = { .vf = -1 };
	int err;

	nla_put_string(msg, VFPOOL_A_VF_IFNAME, pf);
	if (vf >= 0)
		nla_put_u32(msg, VFPOOL_A_VF_VF, vf);
	if (mac)
		nla_put(msg, VFPOOL_A_VF_MAC, 6, mac);
	if (vlan >= 0)
		nla_put_u16(msg, VFPOOL_A_VF_VLAN, vlan);
	if (owner)
		nla_put_string(msg, VFPOOL_A_VF_OWNER, owner);
	err = vp_request(sk, msg, &r);
	return err ?: r.vf;
}

/* State of VF @vf of @pf, seen by a fresh socket; -errno on failure. */
static int vp_state(const char *pf, int vf, char *owner)
{
	struct nl_sock *sk = vp_sock();
	struct vf_reply r = { .state = -1 };
	struct nl_msg *msg;
	int err;

	if (!sk)
		return -ENOENT;
	msg = vp_msg(VFPOOL_CMD_VF_GET, 0);
	nla_put_string(msg, VFPOOL_A_VF_IFNAME, pf);
	nla_put_u32(msg, VFPOOL_A_VF_VF, vf);
	err = vp_request(sk, msg, &r);
	nl_socket_free(sk);
	if (owner)
		strcpy(owner, r.owner);
	return err ?: r.state;
}

/* A VF field as iproute2 reports it, e.g. ".address" or ".vlan_list[0].vlan // 0". */
static int ip_vf_field(const char *pf, int vf, const char *expr, char *buf,
		       size_t len)
{
	char cmd[512];
	FILE *f;
	int ok;

	snprintf(cmd, sizeof(cmd),
		 "ip -j link show dev %s | jq -r '.[0].vfinfo_list[] | select(.vf == %d) | %s'",
		 pf, vf, expr);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	ok = fgets(buf, len, f) != NULL;
	pclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int ip_vf_is(const char *pf, int vf, const char *expr, const char *want)
{
	char buf[64];

	return !ip_vf_field(pf, vf, expr, buf, sizeof(buf)) && !strcmp(buf, want);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * A wait budget for the stock guest, stretched on slower ones: the harness
 * exports VFPOOL_TIMEOUT_SCALE (3 on the KASAN/lockdep guest).
 */
static int scaled_ms(int ms)
{
	const char *s = getenv("VFPOOL_TIMEOUT_SCALE");
	int scale = s ? atoi(s) : 1;

	return ms * (scale > 0 ? scale : 1);
}

/*
 * Poll until VF @vf is free and ip link reports it reset; 0 or -ETIMEDOUT.
 * Time is measured, not counted in iterations: each poll runs ip and jq,
 * which take far longer than the 20 ms pause between polls.
 */
static int wait_vf_reset(const char *pf, int vf, int timeout_ms)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	long long end = now_ms() + scaled_ms(timeout_ms);

	do {
		if (vp_state(pf, vf, NULL) == VFPOOL_VF_STATE_FREE &&
		    ip_vf_is(pf, vf, ".address", "00:00:00:00:00:00") &&
		    ip_vf_is(pf, vf, "(.vlan_list[0].vlan // .vlan // 0)", "0"))
			return 0;
		nanosleep(&ts, NULL);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

static const char *test_pf(void)
{
	return getenv("VFPOOL_TEST_PF") ?: "eth0";
}

static int test_nvfs(void)
{
	return atoi(getenv("VFPOOL_TEST_NVFS") ?: "16");
}

/* Run @fn in a child holding its own socket; returns its pid. */
static pid_t holder_child(int (*fn)(int wfd, void *arg), void *arg, int *rfd)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		_exit(fn(p[1], arg));
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

/* Child: reserve two VFs, report them, then wait to be killed. */
static int reserve_two(int wfd, void *arg)
{
	struct nl_sock *sk = vp_sock();
	int got[2], i;

	(void)arg;
	for (i = 0; i < 2; i++) {
		got[i] = sk ? vp_reserve(sk, test_pf(), -1, NULL, -1, "race") : -1;
		if (write(wfd, &got[i], sizeof(got[i])) != sizeof(got[i]))
			return 1;
	}
	pause();
	return 0;
}

TEST(concurrent_reservers_never_share)
{
	int nvfs = test_nvfs(), nchild = nvfs / 2, i, j, fd, v;
	int *seen = calloc(nvfs, sizeof(int));
	pid_t *pids = calloc(nchild, sizeof(pid_t));
	int *fds = calloc(nchild, sizeof(int));
	struct nl_sock *sk;

	ASSERT_NE(NULL, seen);
	for (i = 0; i < nchild; i++) {
		pids[i] = holder_child(reserve_two, NULL, &fds[i]);
		ASSERT_GT(pids[i], 0);
	}
	for (i = 0; i < nchild; i++) {
		for (j = 0; j < 2; j++) {
			fd = fds[i];
			if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
				v = -EIO;
			/* EXPECT, not ASSERT: the holders must be killed below. */
			EXPECT_GE(v, 0) TH_LOG("child %d reserve failed: %s", i, strerror(-v));
			if (v < 0 || v >= nvfs)
				continue;
			EXPECT_EQ(0, seen[v]) TH_LOG("VF %d handed out twice", v);
			seen[v]++;
		}
	}
	/* Every VF is held now: one more is refused. */
	sk = vp_sock();
	EXPECT_NE(NULL, sk);
	if (sk) {
		EXPECT_EQ(-ENOSPC, vp_reserve(sk, test_pf(), -1, NULL, -1, "late"));
		nl_socket_free(sk);
	}

	for (i = 0; i < nchild; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
		close(fds[i]);
	}
	for (v = 0; v < nvfs; v++)
		EXPECT_EQ(0, wait_vf_reset(test_pf(), v, 20000)) TH_LOG("VF %d not reset", v);
	free(seen);
	free(pids);
	free(fds);
}

struct hold_arg {
	int vf;
	const unsigned char *mac;
	int vlan;
	bool fork_sharer;
};

/*
 * Child: reserve @vf, optionally fork a grandchild that shares the socket
 * (and reports its pid), report success, then wait for a signal.
 */
static int hold_vf(int wfd, void *p)
{
	struct hold_arg *a = p;
	struct nl_sock *sk = vp_sock();
	int r = sk ? vp_reserve(sk, test_pf(), a->vf, a->mac, a->vlan, "holder") : -1;
	unsigned int portid = sk ? nl_socket_get_local_port(sk) : 0;
	pid_t sharer = 0;

	if (r >= 0 && a->fork_sharer) {
		sharer = fork();
		if (sharer == 0) {
			pause();	/* keeps the inherited socket open */
			_exit(0);
		}
	}
	if (write(wfd, &r, sizeof(r)) != sizeof(r) ||
	    write(wfd, &sharer, sizeof(sharer)) != sizeof(sharer) ||
	    write(wfd, &portid, sizeof(portid)) != sizeof(portid))
		return 1;
	pause();
	return 0;
}

static pid_t start_holder(struct __test_metadata *_metadata, struct hold_arg *a,
			  pid_t *sharer, unsigned int *portid)
{
	unsigned int port = 0;
	int fd, r = -1;
	pid_t pid, sh = 0;

	pid = holder_child(hold_vf, a, &fd);
	EXPECT_GT(pid, 0);
	EXPECT_EQ((ssize_t)sizeof(r), read(fd, &r, sizeof(r)));
	EXPECT_EQ((ssize_t)sizeof(sh), read(fd, &sh, sizeof(sh)));
	EXPECT_EQ((ssize_t)sizeof(port), read(fd, &port, sizeof(port)));
	close(fd);
	if (portid)
		*portid = port;
	EXPECT_EQ(a->vf, r) TH_LOG("reserve of VF %d: %s", a->vf, r < 0 ? strerror(-r) : "ok");
	if (sharer)
		*sharer = sh;
	return pid;
}

TEST(kill9_holder_resets_vf)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x33 };
	struct hold_arg a = { .vf = 1, .mac = mac, .vlan = 42 };
	char owner[VFPOOL_OWNER_LEN];
	pid_t pid;

	pid = start_holder(_metadata, &a, NULL, NULL);
	ASSERT_EQ(VFPOOL_VF_STATE_RESERVED, vp_state(test_pf(), 1, owner));
	EXPECT_STREQ("holder", owner);
	EXPECT_TRUE(ip_vf_is(test_pf(), 1, ".address", "52:54:00:11:22:33"));
	EXPECT_TRUE(ip_vf_is(test_pf(), 1, "(.vlan_list[0].vlan // .vlan // 0)", "42"));

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(0, wait_vf_reset(test_pf(), 1, 20000));
}

TEST(forked_sharer_keeps_vf_until_both_exit)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x44, 0x55, 0x66 };
	struct hold_arg shared = { .vf = 2, .mac = mac, .vlan = 7, .fork_sharer = true };
	struct hold_arg probe = { .vf = 3, .vlan = -1 };
	pid_t parent, sharer, other;

	parent = start_holder(_metadata, &shared, &sharer, NULL);
	ASSERT_GT(sharer, 0);

	/* The first process with the socket goes... */
	kill(parent, SIGKILL);
	waitpid(parent, NULL, 0);

	/*
	 * ...and, as a barrier, another holder dies after it and its VF is
	 * seen reset: resets run in the order sockets closed, so a wrong reset
	 * of the shared VF would have happened by now.
	 */
	other = start_holder(_metadata, &probe, NULL, NULL);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	ASSERT_EQ(0, wait_vf_reset(test_pf(), 3, 20000));

	EXPECT_EQ(VFPOOL_VF_STATE_RESERVED, vp_state(test_pf(), 2, NULL));
	EXPECT_TRUE(ip_vf_is(test_pf(), 2, ".address", "52:54:00:44:55:66"));

	/* The last process with the socket goes: now it is reset. */
	kill(sharer, SIGKILL);
	EXPECT_EQ(0, wait_vf_reset(test_pf(), 2, 20000));
}

TEST(recycled_portid_does_not_inherit)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x77, 0x88, 0x99 };
	struct hold_arg a = { .vf = 4, .vlan = -1 };
	char owner[VFPOOL_OWNER_LEN];
	unsigned int portid;
	struct nl_msg *msg;
	struct nl_sock *sk;
	pid_t pid;

	/*
	 * A new socket bound to a dead holder's portid must not act as the
	 * holder of its VF: not set it, not release it.
	 */
	pid = start_holder(_metadata, &a, NULL, &portid);
	ASSERT_NE(0U, portid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	sk = nl_socket_alloc();
	ASSERT_NE(NULL, sk);
	nl_socket_set_local_port(sk, portid);
	ASSERT_EQ(0, genl_connect(sk));
	/* This test process has not resolved the family yet. */
	family_id = genl_ctrl_resolve(sk, VFPOOL_FAMILY_NAME);
	ASSERT_GT(family_id, 0);
	/*
	 * The dead holder's VF is resetting or already free: either way it is
	 * "not reserved" (-ENOENT).  Had the new socket been taken for the
	 * holder (the SOCK_DEAD check missing), the set would succeed (0),
	 * and a live holder would be refused with -EPERM: only -ENOENT
	 * proves the recycled portid was told apart.
	 */
	msg = vp_msg(VFPOOL_CMD_VF_SET, 0);
	nla_put_string(msg, VFPOOL_A_VF_IFNAME, test_pf());
	nla_put_u32(msg, VFPOOL_A_VF_VF, 4);
	nla_put(msg, VFPOOL_A_VF_MAC, 6, mac);
	EXPECT_EQ(-ENOENT, vp_request(sk, msg, &(struct vf_reply){}));
	msg = vp_msg(VFPOOL_CMD_VF_RELEASE, 0);
	nla_put_string(msg, VFPOOL_A_VF_IFNAME, test_pf());
	nla_put_u32(msg, VFPOOL_A_VF_VF, 4);
	EXPECT_EQ(-ENOENT, vp_request(sk, msg, &(struct vf_reply){}));
	nl_socket_free(sk);

	EXPECT_EQ(0, wait_vf_reset(test_pf(), 4, 20000));
	EXPECT_EQ(VFPOOL_VF_STATE_FREE, vp_state(test_pf(), 4, owner));
	EXPECT_STREQ("", owner);
	/* Read back positively: a failing ip or jq must not pass. */
	EXPECT_TRUE(ip_vf_is(test_pf(), 4, ".address", "00:00:00:00:00:00"));
}

TEST_HARNESS_MAIN
