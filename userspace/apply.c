// SPDX-License-Identifier: GPL-2.0
/*
 * pool apply FILE: make the enrolment of PFs what a vfpool.conf(5) file
 * says, and nothing more.
 *
 * Three phases, so that a bad file changes nothing:
 *   1. parse every line and resolve its PF (PCI address or netdev name) in
 *      sysfs; any error is "FILE:LINE: message" and the exit status 1;
 *   2. read what is enrolled (one pool-get dump);
 *   3. for each line, enroll the PF if it is not (pool-add), or send a
 *      pool-set with only the settings that differ.  A PF already right is
 *      not touched: a second run sends nothing, prints nothing, and so no
 *      event nor RTM_NEWLINK follows.  An enrolled PF is only re-enrolled
 *      (its VF range changed, which resets its VFs) when none of its VFs is
 *      reserved, assigned or quarantined.
 * A line whose PF has no VFs yet (sriov_numvfs 0) is skipped: the udev rule
 * runs apply again when they appear.  PFs enrolled but not in the file are
 * left alone.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "vfpoolctl.h"

#define APPLY_MAX_ARGS	32
#define DEFAULT_PARK_MAC "\x02\x00\x00\x00\x00\x00"

struct entry {
	unsigned int line;
	char ifname[16];
	struct pool_args a;	/* a.dev points to ifname */
	uint32_t numvfs;
	char *words;		/* the line, kept for a.name */
};

struct current {
	bool found;
	char pool[VFPOOL_POOL_NAME_LEN];
	uint32_t first, last;
	bool has_park, has_park_mac;
	uint32_t park;
	uint16_t park_vlan;
	uint8_t park_mac[6];
	uint32_t busy;		/* reserved + assigned + quarantined */
};

static int read_u32_file(const char *path, uint32_t *v)
{
	FILE *f = fopen(path, "r");
	unsigned int x;
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%u", &x) == 1;
	fclose(f);
	if (!ok)
		return -1;
	*v = x;
	return 0;
}

/* The (first) network interface of the PCI device addr, into ifname. */
static int pci_to_ifname(const char *addr, char ifname[16])
{
	char path[128];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", addr);
	if (access(path, F_OK))
		return parse_error("unknown PCI address \"%s\"", addr);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/net", addr);
	dir = opendir(path);
	if (dir) {
		while ((d = readdir(dir))) {
			if (d->d_name[0] == '.' || strlen(d->d_name) > 15)
				continue;
			snprintf(ifname, 16, "%s", d->d_name);
			closedir(dir);
			return 0;
		}
		closedir(dir);
	}
	return parse_error("PCI device \"%s\" has no network interface (no driver bound?)",
			   addr);
}

/* One line: pf PF [ vfs RANGE ] [ name POOL ] [ park PARK ] [ parkmac MAC ] */
static int parse_line(struct entry *e, int argc, char **argv)
{
	char pci[VFPOOL_PCI_ADDR_LEN], path[64];
	const char *pf;

	if (strcmp(argv[0], "pf") && strcmp(argv[0], "dev"))
		return parse_error("unknown keyword \"%s\" (a line starts with \"pf\")",
				   argv[0]);
	if (argc < 2)
		return parse_error("missing PF after \"%s\"", argv[0]);
	pf = argv[1];
	/* a PCI address, or else a netdev name */
	if (strchr(pf, '.') && strchr(pf, ':')) {
		if (parse_pci(pf, pci) || pci_to_ifname(pci, e->ifname))
			return -1;
	} else {
		if (parse_ifname(pf))
			return -1;
		snprintf(path, sizeof(path), "/sys/class/net/%s", pf);
		if (access(path, F_OK))
			return parse_error("unknown network device \"%s\"", pf);
		snprintf(e->ifname, sizeof(e->ifname), "%s", pf);
	}
	if (pool_parse(NULL, argc - 2, argv + 2,
		       BIT(P_VFS) | BIT(P_NAME) | BIT(P_PARK) | BIT(P_PARKMAC),
		       &e->a))
		return -1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/device/sriov_numvfs",
		 e->ifname);
	if (read_u32_file(path, &e->numvfs))
		return parse_error("\"%s\" is not an SR-IOV PF (no sriov_numvfs)",
				   pf);
	if (SEEN(e->a.seen, P_VFS) && e->numvfs && e->a.last >= e->numvfs)
		return parse_error("vfs \"%u-%u\" beyond the %u VFs of %s",
				   e->a.first, e->a.last, e->numvfs, e->ifname);
	return 0;
}

/* Phase 1: the whole file, or nothing. */
static int parse_file(const char *file, struct entry **out, size_t *nout)
{
	struct entry *ents = NULL, *e;
	char *args[APPLY_MAX_ARGS];
	char *line = NULL;
	size_t len = 0, n = 0, i;
	int argc, ret = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		ret = -errno;
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", file,
			strerror(-ret));
		return ret;
	}
	cur_file = file;
	cur_line = 0;
	while (getline(&line, &len, f) >= 0) {
		cur_line++;
		e = realloc(ents, (n + 1) * sizeof(*e));
		if (!e) {
			ret = -ENOMEM;
			break;
		}
		ents = e;
		e = &ents[n];
		memset(e, 0, sizeof(*e));
		e->words = strdup(line);
		if (!e->words) {
			ret = -ENOMEM;
			break;
		}
		argc = make_args(e->words, args, APPLY_MAX_ARGS);
		if (argc == 0) {
			free(e->words);
			continue;
		}
		n++;
		e->line = cur_line;
		if (argc < 0) {
			ret = -EINVAL;
			continue;
		}
		if (parse_line(e, argc, args)) {
			ret = -EINVAL;
			continue;
		}
		/* one enrolment per PF: a second line is an overlap or a clash */
		for (i = 0; i + 1 < n; i++) {
			struct entry *o = &ents[i];
			uint32_t f1, l1, f2, l2;

			if (!o->ifname[0] || strcmp(o->ifname, e->ifname))
				continue;
			f1 = SEEN(e->a.seen, P_VFS) ? e->a.first : 0;
			l1 = SEEN(e->a.seen, P_VFS) ? e->a.last : UINT32_MAX;
			f2 = SEEN(o->a.seen, P_VFS) ? o->a.first : 0;
			l2 = SEEN(o->a.seen, P_VFS) ? o->a.last : UINT32_MAX;
			if (f1 <= l2 && f2 <= l1)
				parse_error("VF range of %s overlaps line %u",
					    e->ifname, o->line);
			else
				parse_error("%s is already on line %u (a PF is enrolled with one range)",
					    e->ifname, o->line);
			ret = -EINVAL;
			e->ifname[0] = '\0';
			break;
		}
	}
	free(line);
	fclose(f);
	cur_file = NULL;
	*out = ents;
	*nout = n;
	return ret;
}

static void free_entries(struct entry *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ents[i].words);
	free(ents);
}

/* Phase 2: what the kernel has enrolled, for one PF. */
static void find_current(struct msgs *m, const char *ifname,
			 struct current *c)
{
	const struct nlattr *tb[VFPOOL_A_POOL_MAX + 1];
	const char *s;
	uint32_t v;
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < m->n; i++) {
		if (attr_parse_pool(m->v[i], tb) < 0)
			continue;
		s = attr_str(tb[VFPOOL_A_POOL_IFNAME]);
		if (!s || strcmp(s, ifname))
			continue;
		c->found = true;
		s = attr_str(tb[VFPOOL_A_POOL_POOL]);
		snprintf(c->pool, sizeof(c->pool), "%s", s ? s : "");
		attr_u32(tb[VFPOOL_A_POOL_VF_FIRST], &c->first);
		attr_u32(tb[VFPOOL_A_POOL_VF_LAST], &c->last);
		c->has_park = attr_u32(tb[VFPOOL_A_POOL_PARK], &c->park);
		attr_u16(tb[VFPOOL_A_POOL_PARK_VLAN], &c->park_vlan);
		if (tb[VFPOOL_A_POOL_PARK_MAC] &&
		    mnl_attr_get_payload_len(tb[VFPOOL_A_POOL_PARK_MAC]) == 6) {
			c->has_park_mac = true;
			memcpy(c->park_mac,
			       mnl_attr_get_payload(tb[VFPOOL_A_POOL_PARK_MAC]), 6);
		}
		if (attr_u32(tb[VFPOOL_A_POOL_RESERVED], &v))
			c->busy += v;
		if (attr_u32(tb[VFPOOL_A_POOL_ASSIGNED], &v))
			c->busy += v;
		if (attr_u32(tb[VFPOOL_A_POOL_QUARANTINED], &v))
			c->busy += v;
		return;
	}
}

/* The settings of e that differ from c, as the "seen" bits of a pool-set. */
static unsigned long differs(const struct entry *e, const struct current *c)
{
	const struct pool_args *a = &e->a;
	unsigned long d = 0;

	if (SEEN(a->seen, P_NAME) && strcmp(a->name, c->pool))
		d |= BIT(P_NAME);
	if (SEEN(a->seen, P_PARK) &&
	    (!c->has_park || a->park != c->park ||
	     (a->park == VFPOOL_PARK_VLAN && a->park_vlan != c->park_vlan)))
		d |= BIT(P_PARK);
	if (SEEN(a->seen, P_PARKMAC) &&
	    (!c->has_park_mac || memcmp(a->park_mac, c->park_mac, 6)))
		d |= BIT(P_PARKMAC);
	return d;
}

static void report(const char *action, const struct entry *e,
		   unsigned long what)
{
	const struct pool_args *a = &e->a;
	char buf[32];

	open_json_object(NULL);
	print_string(PRINT_ANY, "action", "%s", action);
	print_string(PRINT_ANY, "pf", " pf %s", e->ifname);
	print_uint(PRINT_JSON, "line", NULL, e->line);
	if (SEEN(what, P_VFS)) {
		snprintf(buf, sizeof(buf), "%u-%u", a->first, a->last);
		print_string(PRINT_ANY, "vfs", " vfs %s", buf);
	}
	if (SEEN(what, P_NAME))
		print_string(PRINT_ANY, "pool", " name %s", a->name);
	if (SEEN(what, P_PARK)) {
		print_string(PRINT_ANY, "park", " park %s", park_name(a->park));
		if (a->park == VFPOOL_PARK_VLAN)
			print_uint(PRINT_ANY, "park_vlan", " %u", a->park_vlan);
	}
	if (SEEN(what, P_PARKMAC))
		print_string(PRINT_ANY, "park_mac", " parkmac %s",
			     mac_str(a->park_mac, buf));
	close_json_object();
	print_nl();
}

static int send_pool(struct nlctx *ctx, uint8_t op, const struct entry *e,
		     unsigned long seen)
{
	struct pool_args a = e->a;
	struct nlmsghdr *nlh;

	a.seen = seen;
	a.dev = e->ifname;
	nlh = nl_msg(ctx, op, NLM_F_ACK);
	pool_put(nlh, &a);
	return nl_request(ctx, nlh, NULL, NULL);
}

/* Phase 3 for one line: 0 done (or nothing to do), -1 failed. */
static int apply_one(struct nlctx *ctx, struct msgs *m, const struct entry *e,
		     const char *file)
{
	const unsigned long all = BIT(P_VFS) | BIT(P_NAME) | BIT(P_PARK) |
				  BIT(P_PARKMAC);
	struct current c;
	unsigned long d;
	uint32_t first, last;

	find_current(m, e->ifname, &c);
	if (!c.found && !e->numvfs) {
		/* not an error: the udev rule runs us again when VFs appear */
		fprintf(stderr, "%s:%u: %s has no VFs (sriov_numvfs 0): skipped\n",
			file, e->line, e->ifname);
		return 0;
	}
	if (!c.found) {
		if (send_pool(ctx, VFPOOL_CMD_POOL_ADD, e, e->a.seen & all))
			return -1;
		report("add", e, e->a.seen & all);
		return 0;
	}

	first = SEEN(e->a.seen, P_VFS) ? e->a.first : 0;
	last = SEEN(e->a.seen, P_VFS) ? e->a.last :
	       (e->numvfs ? e->numvfs - 1 : c.last);
	if (first != c.first || last != c.last) {
		/* a new range means a new enrolment: it resets the PF's VFs */
		if (c.busy) {
			fprintf(stderr, "%s:%u: %s: the enrolled VFs %u-%u differ, but %u of them are in use: not re-enrolled\n",
				file, e->line, e->ifname, c.first, c.last,
				c.busy);
			return -1;
		}
		if (send_pool(ctx, VFPOOL_CMD_POOL_DEL, e, 0) ||
		    send_pool(ctx, VFPOOL_CMD_POOL_ADD, e, e->a.seen & all))
			return -1;
		report("re-enroll", e, (e->a.seen & all) | BIT(P_VFS));
		return 0;
	}
	d = differs(e, &c);
	if (!d)
		return 0;
	if (send_pool(ctx, VFPOOL_CMD_POOL_SET, e, d))
		return -1;
	report("set", e, d);
	return 0;
}

int pool_apply(const struct cmd *cmd, int argc, char **argv)
{
	struct entry *ents = NULL;
	struct msgs m = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	const char *file;
	size_t n = 0, i;
	int ret;

	if (argc > 0 && is_help(argv[0])) {
		print_usage(stdout, cmd);
		return 0;
	}
	if (argc == 0)
		return parse_error("missing \"FILE\"");
	if (argc > 1)
		return kw_unknown(argv[1]);
	file = argv[0];

	ret = parse_file(file, &ents, &n) ?: nl_open(&ctx);
	if (ret) {
		free_entries(ents, n);
		return ret;
	}
	nlh = nl_msg(&ctx, VFPOOL_CMD_POOL_GET, NLM_F_DUMP);
	ret = nl_request(&ctx, nlh, msgs_add_cb, &m);
	if (ret)
		goto out;
	open_json_array(NULL);
	for (i = 0; i < n; i++) {
		/* go on with the other PFs: each line stands alone */
		if (apply_one(&ctx, &m, &ents[i], file)) {
			fprintf(stderr, "%s:%u: %s not applied\n", file,
				ents[i].line, ents[i].ifname);
			ret = -EINVAL;
		}
	}
	close_json_array();
	print_end();
out:
	msgs_free(&m);
	nl_close(&ctx);
	free_entries(ents, n);
	return ret;
}
