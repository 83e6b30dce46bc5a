// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing on libmnl: resolve the "vfpool" family and its
 * "events" group, send a request, run the replies through a callback, and
 * report errors with the kernel's extended ack message verbatim.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "vfpoolctl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif

#define NL_BUFSIZE		65536

bool nl_refused;

struct request {
	mnl_cb_t cb;
	void *data;
	char msg[512];		/* extack message of the error, if any */
};

/* Attribute access that never reads past a short attribute. */
const char *attr_str(const struct nlattr *a)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return NULL;
	return mnl_attr_get_str(a);
}

/* A string that is absent or empty is "none": JSON null, "-" in text. */
const char *attr_str_or_null(const struct nlattr *a)
{
	const char *s = attr_str(a);

	return s && *s ? s : NULL;
}

/* A MAC address attribute as text; NULL when absent or not 6 bytes. */
const char *attr_mac(const struct nlattr *a, char buf[MAC_STR_LEN])
{
	if (!a || mnl_attr_get_payload_len(a) != 6)
		return NULL;
	return mac_str(mnl_attr_get_payload(a), buf);
}

bool attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(uint32_t))
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

bool attr_u16(const struct nlattr *a, uint16_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(uint16_t))
		return false;
	*v = mnl_attr_get_u16(a);
	return true;
}

bool attr_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(uint8_t))
		return false;
	*v = mnl_attr_get_u8(a);
	return true;
}

struct tb {
	const struct nlattr **tb;
	int max;
};

static int tb_cb(const struct nlattr *a, void *data)
{
	const struct tb *t = data;
	int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

/* The attributes of a message by type; tb holds max + 1 entries. */
static int attr_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		      int max)
{
	struct tb t = { .tb = tb, .max = max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tb_cb, &t);
}

int attr_parse_vf(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	return attr_parse(nlh, tb, VFPOOL_A_VF_MAX);
}

int attr_parse_pool(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	return attr_parse(nlh, tb, VFPOOL_A_POOL_MAX);
}

static int extack_cb(const struct nlattr *a, void *data)
{
	struct request *req = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG && attr_str(a))
		snprintf(req->msg, sizeof(req->msg), "%s", attr_str(a));
	return MNL_CB_OK;
}

/* Extended ack TLVs start after the echoed (maybe capped) request. */
static void parse_extack(const struct nlmsghdr *nlh, size_t hlen,
			 struct request *req)
{
	const char *p = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || hlen > len)
		return;
	mnl_attr_parse_payload(p + hlen, len - hlen, extack_cb, req);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct request *req = data;
	size_t hlen = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += e->msg.nlmsg_len - sizeof(e->msg);
	parse_extack(nlh, hlen, req);
	if (!e->error) {
		/* an ack; its message, if any, is a warning */
		if (req->msg[0])
			fprintf(stderr, "Warning: %s\n", req->msg);
		return MNL_CB_STOP;
	}
	errno = e->error < 0 ? -e->error : e->error;
	return MNL_CB_ERROR;
}

/* The end of a dump carries the dump's error, if it failed midway. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct request *req = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	parse_extack(nlh, sizeof(int), req);
	errno = -err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct request *req = data;

	return req->cb ? req->cb(nlh, req->data) : MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

int nl_open_socket(struct nlctx *ctx)
{
	int one = 1, ret;

	memset(ctx, 0, sizeof(*ctx));
	ctx->buf = malloc(NL_BUFSIZE);
	if (!ctx->buf)
		goto err;
	ctx->bufsize = NL_BUFSIZE;
	ctx->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!ctx->nl)
		goto err;
	if (mnl_socket_bind(ctx->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	/* best effort: old kernels lack them, and then errors are bare */
	mnl_socket_setsockopt(ctx->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(ctx->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	ctx->portid = mnl_socket_get_portid(ctx->nl);
	ctx->seq = time(NULL);
	return 0;
err:
	ret = sys_error("cannot open generic netlink socket");
	nl_close(ctx);
	return ret;
}

void nl_close(struct nlctx *ctx)
{
	if (ctx->nl)
		mnl_socket_close(ctx->nl);
	ctx->nl = NULL;
	free(ctx->buf);
	ctx->buf = NULL;
}

struct nlmsghdr *nl_msg(struct nlctx *ctx, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(ctx->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = ctx->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++ctx->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = VFPOOL_FAMILY_VERSION;
	return nlh;
}

/*
 * Send nlh and feed every reply message to cb until the ack or the end of
 * the dump.  On failure print the kernel's message as "Error: <extack>
 * (<strerror>)" and return -errno (errno set too).
 */
static int request(struct nlctx *ctx, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data, bool quiet, int ignore_errno)
{
	struct request req = { .cb = cb, .data = data };
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(ctx->nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -1;
		goto out;
	}
	do {
		len = mnl_socket_recvfrom(ctx->nl, ctx->buf, ctx->bufsize);
		if (len < 0) {
			ret = -1;
			break;
		}
		ret = mnl_cb_run2(ctx->buf, len, seq, ctx->portid, data_cb,
				  &req, ctl_cbs, ARRAY_SIZE(ctl_cbs));
	} while (ret > 0);
out:
	if (ret < 0 && ignore_errno && errno == ignore_errno)
		return 0;
	if (ret < 0 && !quiet) {
		int err = errno;

		nl_refused = true;
		if (req.msg[0])
			fprintf(stderr, "Error: %s (%s)\n", req.msg,
				strerror(err));
		else
			fprintf(stderr, "Error: %s\n", strerror(err));
		errno = err;
	}
	return ret < 0 ? -errno : 0;
}

int nl_request(struct nlctx *ctx, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data)
{
	return request(ctx, nlh, cb, data, false, 0);
}

int nl_request_quiet(struct nlctx *ctx, struct nlmsghdr *nlh, mnl_cb_t cb,
		     void *data)
{
	return request(ctx, nlh, cb, data, true, 0);
}

/* As nl_request(), but the error ignore_errno is success, silently. */
int nl_request_ignore(struct nlctx *ctx, struct nlmsghdr *nlh, mnl_cb_t cb,
		      void *data, int ignore_errno)
{
	return request(ctx, nlh, cb, data, false, ignore_errno);
}

static int mcgrp_cb(const struct nlattr *a, void *data)
{
	struct nlctx *ctx = data;
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};
	const struct nlattr *g;
	const char *name;
	uint32_t id;

	mnl_attr_for_each_nested(g, a) {
		if (mnl_attr_get_type(g) <= CTRL_ATTR_MCAST_GRP_MAX)
			tb[mnl_attr_get_type(g)] = g;
	}
	name = attr_str(tb[CTRL_ATTR_MCAST_GRP_NAME]);
	if (name && !strcmp(name, VFPOOL_MCGRP_EVENTS) &&
	    attr_u32(tb[CTRL_ATTR_MCAST_GRP_ID], &id))
		ctx->mcgrp_events = id;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlctx *ctx = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			attr_u16(a, &ctx->family);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_parse_nested(a, mcgrp_cb, ctx);
			break;
		}
	}
	return MNL_CB_OK;
}

/* Open a socket and resolve the family; tell the user if it is absent. */
int nl_open(struct nlctx *ctx)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int ret;

	ret = nl_open_socket(ctx);
	if (ret)
		return ret;
	nlh = mnl_nlmsg_put_header(ctx->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++ctx->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VFPOOL_FAMILY_NAME);
	ret = request(ctx, nlh, family_cb, ctx, true, 0);
	if (ret || !ctx->family) {
		nl_refused = true;
		if (ret == -ENOENT || !ctx->family)
			fprintf(stderr, "vfpoolctl: vfpool module not loaded? (generic netlink family \"%s\" not found)\n",
				VFPOOL_FAMILY_NAME);
		else
			fprintf(stderr, "vfpoolctl: cannot resolve generic netlink family \"%s\": %s\n",
				VFPOOL_FAMILY_NAME, strerror(-ret));
		nl_close(ctx);
		return ret ?: -ENOENT;
	}
	return 0;
}

/* Open and start the request @cmd: how a command begins. */
int nl_open_msg(struct nlctx *ctx, uint8_t cmd, uint16_t flags,
		struct nlmsghdr **nlh)
{
	int ret = nl_open(ctx);

	if (!ret)
		*nlh = nl_msg(ctx, cmd, flags);
	return ret;
}

/* The request of a one-request command, then close: how it ends. */
int nl_request_last(struct nlctx *ctx, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data)
{
	int ret = nl_request(ctx, nlh, cb, data);

	nl_close(ctx);
	return ret;
}

int nl_join_events(struct nlctx *ctx)
{
	uint32_t grp = ctx->mcgrp_events;

	if (!grp) {
		errno = ENOENT;
		return -1;
	}
	return mnl_socket_setsockopt(ctx->nl, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp));
}

/*
 * Read one batch of multicast messages and run them through cb.  Returns
 * -1 with errno ENOBUFS when the socket overran and events were lost.
 */
int nl_recv_events(struct nlctx *ctx, mnl_cb_t cb, void *data)
{
	ssize_t len;

	len = mnl_socket_recvfrom(ctx->nl, ctx->buf, ctx->bufsize);
	if (len < 0)
		return -1;
	return mnl_cb_run(ctx->buf, len, 0, 0, cb, data) < 0 ? -1 : 0;
}
