// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print every vfpool event of this network namespace, one line
 * (or one JSON object) per event, until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "vfpoolctl.h"

static const char *const event_names[] = {
	[VFPOOL_CMD_VF_RESERVED_NTF] = "reserved",
	[VFPOOL_CMD_VF_CHANGED_NTF] = "changed",
	[VFPOOL_CMD_VF_RELEASED_NTF] = "released",
	[VFPOOL_CMD_VF_QUARANTINED_NTF] = "quarantined",
	[VFPOOL_CMD_VF_GONE_NTF] = "gone",
	[VFPOOL_CMD_POOL_ADD_NTF] = "pool-add",
	[VFPOOL_CMD_POOL_DEL_NTF] = "pool-del",
	[VFPOOL_CMD_POOL_CHANGED_NTF] = "pool-changed",
	[VFPOOL_CMD_VF_RESET_NTF] = "reset",
	[VFPOOL_CMD_VF_BOUND_NTF] = "bound",
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1];
	const struct nlattr *pt[VFPOOL_A_POOL_MAX + 1];
	const char *event;
	uint32_t reason;

	(void)data;
	if (genl->cmd >= ARRAY_SIZE(event_names) || !event_names[genl->cmd])
		return MNL_CB_OK;	/* not an event we know: skip it */
	event = event_names[genl->cmd];

	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", event);
	if (genl->cmd == VFPOOL_CMD_POOL_ADD_NTF ||
	    genl->cmd == VFPOOL_CMD_POOL_DEL_NTF ||
	    genl->cmd == VFPOOL_CMD_POOL_CHANGED_NTF) {
		if (attr_parse_pool(nlh, pt) < 0)
			return MNL_CB_ERROR;
		pool_print(pt, VF_KEYED);
	} else {
		if (attr_parse_vf(nlh, tb) < 0)
			return MNL_CB_ERROR;
		vf_print(tb, VF_KEYED);
		if (attr_u32(tb[VFPOOL_A_VF_REASON], &reason))
			print_string(PRINT_ANY, "reason", " reason %s",
				     reason_name(reason));
		else
			print_null(PRINT_JSON, "reason", NULL, NULL);
	}
	close_json_object();
	print_nl();
	print_end();
	return MNL_CB_OK;
}

int cmd_monitor(const struct cmd *cmd, int argc, char **argv)
{
	struct nlctx ctx;
	struct pollfd pfd[2];
	sigset_t mask;
	int rcvbuf = 1 << 20;
	int ret;

	if (argc > 0) {
		if (is_help(argv[0])) {
			print_usage(stdout, cmd);
			return 0;
		}
		return kw_unknown(argv[0]);
	}

	block_signals(&mask);
	pfd[0].fd = signalfd(-1, &mask, SFD_CLOEXEC);
	pfd[0].events = POLLIN;
	if (pfd[0].fd < 0)
		return sys_error("signalfd");

	ret = nl_open(&ctx);
	if (ret) {
		close(pfd[0].fd);
		return ret;
	}
	setsockopt(mnl_socket_get_fd(ctx.nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	if (nl_join_events(&ctx)) {
		ret = -errno;
		fprintf(stderr, "vfpoolctl: cannot join the \"%s\" group: %s\n",
			VFPOOL_MCGRP_EVENTS, strerror(-ret));
		goto out;
	}
	pfd[1].fd = mnl_socket_get_fd(ctx.nl);
	pfd[1].events = POLLIN;

	for (;;) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = sys_error("poll");
			goto out;
		}
		if (pfd[0].revents)
			goto out;	/* SIGINT or SIGTERM: ret is 0 */
		if (pfd[1].revents && nl_recv_events(&ctx, monitor_cb, NULL)) {
			if (errno != ENOBUFS) {
				ret = sys_error("events");
				goto out;
			}
			fprintf(stderr, "vfpoolctl: events overran the socket buffer; some were lost\n");
		}
	}
out:
	nl_close(&ctx);
	close(pfd[0].fd);
	return ret;
}
