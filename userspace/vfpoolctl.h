/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpoolctl: shared declarations.
 *
 * main.c       option parsing, object/command dispatch, help, exit status
 * netlink.c    family resolution, requests, acks, extack, dumps
 * json.c       tiny JSON writer
 * print.c      one print path for text and JSON
 * parse.c      argument parsers (MAC, PCI, numbers, keywords)
 * pool.c       pool show/add/del/set, park policy keywords
 * apply.c      pools.conf parser and pool apply
 * stats.c      stats --prometheus
 * batch.c      -batch FILE, -n NETNS
 * vf.c         vf show/set/release, VF printing, config keywords, vf help
 * reserve.c    vf reserve and its lifetime modes
 * monitor.c    monitor
 * signal.c     SIGINT/SIGTERM through a signalfd (monitor, hold loop)
 */
#ifndef VFPOOLCTL_H
#define VFPOOLCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>
#include <linux/vfpool.h>

#ifndef VERSION
#define VERSION "unknown"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* main.c: the command table */
struct cmd {
	const char *name;
	int (*fn)(const struct cmd *cmd, int argc, char **argv);
	const char *help;	/* one line, for the object's help */
	const char *usage;	/* grammar, printed on error and help */
	const char *where;	/* details, in the command's own help only */
};

/*
 * Exit status of vfpoolctl: 0 success, 1 usage error (or a local
 * failure), 2 the kernel refused the request.  Command functions return 0
 * or -errno; exit_status() maps that (and nl_refused) to the exit status.
 */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_KERNEL = 2,
};

int exit_status(int ret);
int dispatch(const char *object, const struct cmd *cmds, size_t n,
	     int argc, char **argv);
void print_usage(FILE *f, const struct cmd *cmd);
int run_object(int argc, char **argv);

/* batch.c */
int do_batch(const char *name, bool force);
int netns_switch(const char *name);
int make_args(char *line, char **argv, int max);

/* parse.c */
extern const struct cmd *cur_cmd;
extern const char *cur_obj;
extern const char *cur_file;
extern unsigned int cur_line;

#define BIT(k)		(1UL << (k))
#define SEEN(s, k)	(!!((s) & BIT(k)))

/* parse_error() and every parser return 0, or -EINVAL after printing */
int parse_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool is_help(const char *arg);
int need_arg(int *argc, char ***argv);

/* one entry of a command's keyword table */
struct keyword {
	const char *name;
	unsigned int bit;	/* the keyword's bit in its "seen" set */
	bool flag;		/* takes no value */
};

#define KW(n, b)	{ .name = (n), .bit = (b) }
#define KW_FLAG(n, b)	{ .name = (n), .bit = (b), .flag = true }

int kw_next(const struct keyword *kws, size_t n, unsigned long allowed,
	    unsigned long *seen, int *argc, char ***argv);
int kw_unknown(const char *word);
int parse_enum(const char *kw, const char *arg, const char *const *names,
	       size_t n, uint32_t *val);
const char *name_of(const char *const *names, size_t n, uint32_t v);
#define NAME_OF(names, v)	name_of(names, ARRAY_SIZE(names), v)

#define MAC_STR_LEN	18
int parse_u32(const char *kw, const char *arg, uint32_t max, uint32_t *val);
int parse_mac(const char *arg, uint8_t mac[6]);
const char *mac_str(const uint8_t mac[6], char buf[MAC_STR_LEN]);
int parse_pci(const char *arg, char out[VFPOOL_PCI_ADDR_LEN]);
int parse_onoff(const char *kw, const char *arg, uint8_t *val);
int parse_ifname(const char *arg);
int parse_label(const char *kw, const char *arg, size_t max);
int parse_range(const char *arg, uint32_t *first, uint32_t *last);
int parse_park(const char *arg, uint32_t *park);
const char *park_name(uint32_t park);
int dup_check(unsigned long *seen, unsigned int bit, const char *kw);

/* netlink.c */
struct nlctx {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	uint32_t mcgrp_events;	/* 0 when the family has no such group */
	char *buf;
	size_t bufsize;
};

int nl_open(struct nlctx *ctx);
int nl_open_socket(struct nlctx *ctx);
void nl_close(struct nlctx *ctx);
int nl_join_events(struct nlctx *ctx);
struct nlmsghdr *nl_msg(struct nlctx *ctx, uint8_t cmd, uint16_t flags);
int nl_open_msg(struct nlctx *ctx, uint8_t cmd, uint16_t flags,
		struct nlmsghdr **nlh);
int nl_request_last(struct nlctx *ctx, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data);
int nl_request(struct nlctx *ctx, struct nlmsghdr *nlh,
	       mnl_cb_t cb, void *data);
int nl_request_quiet(struct nlctx *ctx, struct nlmsghdr *nlh,
		     mnl_cb_t cb, void *data);
int nl_request_ignore(struct nlctx *ctx, struct nlmsghdr *nlh,
		      mnl_cb_t cb, void *data, int ignore_errno);
/* set when the kernel refused a request (or vfpool is absent): exit 2 */
extern bool nl_refused;
int nl_recv_events(struct nlctx *ctx, mnl_cb_t cb, void *data);

/* print.c */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 3,
};

extern bool json;
extern bool pretty;

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int val);
void print_int(enum output_type t, const char *key, const char *fmt, int val);
void print_bool(enum output_type t, const char *key, const char *fmt, bool val);
void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text);
void print_nl(void);
void print_end(void);

/* json.c */
void jw_open(const char *key, char c);
void jw_close(char c);
void jw_string(const char *key, const char *val);
void jw_raw(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void jw_end(void);

/* attribute access */
const char *attr_str(const struct nlattr *a);
const char *attr_str_or_null(const struct nlattr *a);
const char *attr_mac(const struct nlattr *a, char buf[MAC_STR_LEN]);
bool attr_u32(const struct nlattr *a, uint32_t *v);
bool attr_u16(const struct nlattr *a, uint16_t *v);
bool attr_u8(const struct nlattr *a, uint8_t *v);
int attr_parse_vf(const struct nlmsghdr *nlh, const struct nlattr **tb);
int attr_parse_pool(const struct nlmsghdr *nlh, const struct nlattr **tb);

/* vf.c */
enum vf_style {
	VF_COLUMNS,	/* one aligned line per VF, like ip -br link */
	VF_KEYED,	/* "pf eth0 vf 2 owner vm1 ...", for monitor */
};

/* Everything the vf commands take on the command line. */
struct vf_args {
	unsigned long seen;	/* bit K_* set when the keyword was given */
	const char *dev;
	const char *pool;
	const char *owner;
	uint32_t vf;
	char pci[VFPOOL_PCI_ADDR_LEN];
	uint8_t mac[6];
	uint16_t vlan;
	uint8_t qos;
	uint16_t proto;
	uint8_t spoofchk;
	uint8_t trust;
	uint32_t link_state;
	uint32_t min_tx_rate;
	uint32_t max_tx_rate;
	uint32_t on_release;
	uint32_t linger;
};

enum {
	K_DEV, K_POOL, K_VF, K_PCI, K_OWNER, K_FORCE,
	K_MAC, K_VLAN, K_QOS, K_PROTO, K_SPOOFCHK, K_TRUST, K_STATE,
	K_MIN_TX_RATE, K_MAX_TX_RATE, K_ON_RELEASE,
	K_HOLD, K_DETACH, K_EXEC, K_PID, K_PIDFILE,
	K_ALL, K_LINGER, K_ADOPT,
};

/* the VF configuration keywords shared by vf reserve and vf set */
#define K_CONFIG	(BIT(K_MAC) | BIT(K_VLAN) | BIT(K_QOS) | BIT(K_PROTO) | \
			 BIT(K_SPOOFCHK) | BIT(K_TRUST) | BIT(K_STATE) | \
			 BIT(K_MIN_TX_RATE) | BIT(K_MAX_TX_RATE) | \
			 BIT(K_ON_RELEASE))

int vf_parse_kw(struct vf_args *a, unsigned long allowed, int *argc,
		char ***argv);
void vf_put(struct nlmsghdr *nlh, const struct vf_args *a);
void vf_print(const struct nlattr **tb, enum vf_style style);
int vf_print_reply(const struct nlmsghdr *nlh);
int vf_print_reply_cb(const struct nlmsghdr *nlh, void *data);
const char *reason_name(uint32_t reason);
int cmd_vf(const struct cmd *cmd, int argc, char **argv);

/* pool.c */
void pool_print(const struct nlattr **tb, enum vf_style style);
int cmd_pool(const struct cmd *cmd, int argc, char **argv);
int pool_apply(const struct cmd *cmd, int argc, char **argv);

/* keywords of the pool commands, bits of their "seen" set */
enum { P_DEV, P_VFS, P_NAME, P_FORCE, P_PARK, P_PARKMAC };

struct pool_args {
	unsigned long seen;
	const char *dev;
	const char *name;
	uint32_t first, last;
	uint32_t park;
	uint32_t park_vlan;
	uint8_t park_mac[6];
};

/* cmd NULL: "help" is not special (a config file) */
int pool_parse(const struct cmd *cmd, int argc, char **argv,
	       unsigned long allowed, struct pool_args *p);
void pool_put(struct nlmsghdr *nlh, const struct pool_args *p);

/* stats.c */
int cmd_stats(const struct cmd *cmd, int argc, char **argv);

/* collect the messages of a dump, to size table columns before printing */
struct msgs {
	struct nlmsghdr **v;
	size_t n, cap;
};

int msgs_add_cb(const struct nlmsghdr *nlh, void *data);
void msgs_free(struct msgs *m);
/* width of a text column: at least the header, at most 64 */
void col_fit(int *w, const char *s);

/* print.c: the text table (or JSON array) of pool show and vf show */
#define TB_MAX	((int)VFPOOL_A_VF_MAX > (int)VFPOOL_A_POOL_MAX ? \
		 (int)VFPOOL_A_VF_MAX : (int)VFPOOL_A_POOL_MAX)

struct column {
	const char *title;
	int attr;	/* string attribute whose values size it; 0: fixed */
	int width;	/* before any sizing: for the line of a lone reply */
	char fmt[16];	/* "%-Ns", with a blank before after the first */
};

struct table {
	int (*parse)(const struct nlmsghdr *nlh, const struct nlattr **tb);
	void (*print)(const struct nlattr **tb, enum vf_style style);
	struct column *cols;
	size_t ncols;
};

int table_row(const struct table *t, const struct nlmsghdr *nlh);
void table_print(struct table *t, struct msgs *m);
int table_show(struct table *t, struct nlctx *ctx, struct nlmsghdr *nlh);
int sys_error(const char *what);

/* reserve.c */
#define PIDFILE_TIMEOUT_ENV	"VFPOOLCTL_PIDFILE_TIMEOUT"
int cmd_vf_reserve(const struct cmd *cmd, int argc, char **argv);

/* signal.c */
int block_signals(sigset_t *mask);

/* monitor.c */
int cmd_monitor(const struct cmd *cmd, int argc, char **argv);

#endif /* VFPOOLCTL_H */
