// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's sender (tools/vfpool_fuzz.py generates, this sends): under
 * TCG with KASAN a python client reaches a few hundred messages a second,
 * most of it python; this sends a prepared stream at the kernel's pace.
 *
 *   vfpool_fuzz_send FAMILY-ID NSOCKS < stream
 *
 * The stream is a sequence of records, host byte order:
 *   u8 action   0 send and wait for the ack, 1 send and do not wait,
 *               2 close the socket and open a new one
 *   u8 sock     socket index (< NSOCKS)
 *   u16 flags   extra nlmsg flags (NLM_F_DUMP, ...)
 *   u32 len     length of the payload that follows
 *   payload     genl header and attributes
 * The netlink header is added here.  At the end of the stream it prints
 * "sent N" and one "errno E COUNT" line per errno seen (0 = accepted) and
 * exits, closing its sockets (which ends whatever they still hold).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <linux/netlink.h>

#define MAXSOCK 64
#define MAXMSG 65536

static int socks[MAXSOCK];
static unsigned long hist[4096];

static int open_sock(void)
{
	struct timeval tv = { .tv_sec = 30 };
	int one = 1, s;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return s;
}

static int readn(void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(0, (char *)buf + got, n - got);
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

/* The errno of the ack for @seq (0 accepted), -1 on timeout. */
static int wait_ack(int s, uint32_t seq)
{
	static char buf[1 << 17];
	struct nlmsghdr *nh;
	ssize_t n;

	for (;;) {
		n = recv(s, buf, sizeof(buf), 0);
		if (n < 0)
			return errno == EINTR ? wait_ack(s, seq) : -1;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			if (nh->nlmsg_type == NLMSG_DONE)
				return -*(int *)NLMSG_DATA(nh);
		}
	}
}

int main(int argc, char **argv)
{
	static char msg[NLMSG_HDRLEN + MAXMSG];
	struct nlmsghdr *nh = (struct nlmsghdr *)msg;
	unsigned long sent = 0;
	uint32_t seq = 0;
	struct timespec now, stop = { 0 };
	int fam, nsocks, i, err;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: %s FAMILY-ID NSOCKS [SECONDS] < stream\n", argv[0]);
		return 1;
	}
	fam = atoi(argv[1]);
	nsocks = atoi(argv[2]);
	/* The caller's time budget: a chunk must not overrun it on a slow
	 * (debug, loaded) guest, where 2000 messages can take minutes. */
	if (argc == 4) {
		clock_gettime(CLOCK_MONOTONIC, &stop);
		stop.tv_sec += atoi(argv[3]);
	}
	if (nsocks < 1 || nsocks > MAXSOCK)
		return 1;
	for (i = 0; i < nsocks; i++)
		socks[i] = open_sock();

	for (;;) {
		struct { uint8_t action, sock; uint16_t flags; uint32_t len; } rec;
		int s;

		if (stop.tv_sec) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec >= stop.tv_sec)
				break;
		}
		if (readn(&rec, sizeof(rec)))
			break;
		if (rec.len > MAXMSG || rec.sock >= nsocks)
			return 1;
		if (readn(msg + NLMSG_HDRLEN, rec.len))
			break;
		if (rec.action == 2) {
			close(socks[rec.sock]);
			socks[rec.sock] = open_sock();
			continue;
		}
		s = socks[rec.sock];
		nh->nlmsg_len = NLMSG_HDRLEN + rec.len;
		nh->nlmsg_type = fam;
		nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | rec.flags;
		nh->nlmsg_seq = ++seq;
		nh->nlmsg_pid = 0;
		if (send(s, msg, nh->nlmsg_len, 0) < 0) {
			hist[errno & 4095]++;
			continue;
		}
		sent++;
		if (rec.action == 1)
			continue;
		err = wait_ack(s, seq);
		hist[err < 0 ? 4095 : err & 4095]++;
	}
	printf("sent %lu\n", sent);
	for (i = 0; i < 4096; i++)
		if (hist[i])
			printf("errno %d %lu\n", i == 4095 ? -1 : i, hist[i]);
	return 0;
}
