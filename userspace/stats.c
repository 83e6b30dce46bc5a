// SPDX-License-Identifier: GPL-2.0
/*
 * stats: VF counts per pool (PFs of the same pool name added up), as a
 * table, as JSON (-j), or in the Prometheus text exposition format that
 * node_exporter's textfile collector reads:
 *
 *   vfpoolctl stats prometheus > /var/lib/node_exporter/vfpool.prom.$$ &&
 *   mv /var/lib/node_exporter/vfpool.prom.$$ /var/lib/node_exporter/vfpool.prom
 *
 * An enrolled PF without a pool name counts under pool="".
 */
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "vfpoolctl.h"

enum { S_PFS, S_TOTAL, S_FREE, S_HELD, S_ASSIGNED, S_QUARANTINED, S_GONE,
	S_MAX };

static const struct {
	const char *key;	/* JSON key and metric suffix */
	int attr;		/* pool attribute, 0 for the PF count */
	const char *help;
} stat_defs[S_MAX] = {
	[S_PFS] = { "pfs", 0, "Enrolled PFs in the pool." },
	[S_TOTAL] = { "total", VFPOOL_A_POOL_TOTAL, "Enrolled VFs." },
	[S_FREE] = { "free", VFPOOL_A_POOL_FREE,
		     "VFs free to reserve." },
	[S_HELD] = { "held", VFPOOL_A_POOL_RESERVED,
		     "VFs reserved (held by a process or socket)." },
	[S_ASSIGNED] = { "assigned", VFPOOL_A_POOL_ASSIGNED,
			 "VFs assigned outside vfpool (in use, not held)." },
	[S_QUARANTINED] = { "quarantined", VFPOOL_A_POOL_QUARANTINED,
			    "VFs quarantined after a failed reset." },
	[S_GONE] = { "gone", VFPOOL_A_POOL_GONE,
		     "Enrolled VFs that no longer exist." },
};

struct pool_stat {
	char name[VFPOOL_POOL_NAME_LEN];
	unsigned long long v[S_MAX];
};

struct stats {
	struct pool_stat *p;
	size_t n;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VFPOOL_A_POOL_MAX + 1];
	struct stats *st = data;
	struct pool_stat *ps;
	const char *name;
	size_t i;
	uint32_t v;

	if (attr_parse_pool(nlh, tb) < 0)
		return MNL_CB_ERROR;
	name = attr_str(tb[VFPOOL_A_POOL_POOL]);
	if (!name)
		name = "";
	for (i = 0; i < st->n; i++)
		if (!strcmp(st->p[i].name, name))
			break;
	if (i == st->n) {
		ps = realloc(st->p, (st->n + 1) * sizeof(*ps));
		if (!ps)
			return MNL_CB_ERROR;
		st->p = ps;
		memset(&ps[i], 0, sizeof(*ps));
		snprintf(ps[i].name, sizeof(ps[i].name), "%s", name);
		st->n++;
	}
	ps = &st->p[i];
	ps->v[S_PFS]++;
	for (i = 1; i < S_MAX; i++)
		if (attr_u32(tb[stat_defs[i].attr], &v))
			ps->v[i] += v;
	return MNL_CB_OK;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct pool_stat *)a)->name,
		      ((const struct pool_stat *)b)->name);
}

/* A label value: backslash, double quote and newline escaped. */
static void put_label(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			printf("\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static void print_prometheus(const struct stats *st)
{
	size_t i, j;

	for (j = 0; j < S_MAX; j++) {
		printf("# HELP vfpool_%s %s\n", stat_defs[j].key,
		       stat_defs[j].help);
		printf("# TYPE vfpool_%s gauge\n", stat_defs[j].key);
		for (i = 0; i < st->n; i++) {
			printf("vfpool_%s{pool=\"", stat_defs[j].key);
			put_label(st->p[i].name);
			printf("\"} %llu\n", st->p[i].v[j]);
		}
	}
}

static void print_table(const struct stats *st)
{
	int w = strlen("POOL");
	char fmt[16];
	size_t i, j;

	for (i = 0; i < st->n; i++)
		col_fit(&w, st->p[i].name[0] ? st->p[i].name : "-");
	snprintf(fmt, sizeof(fmt), "%%-%ds", w);
	if (!json && st->n) {
		printf(fmt, "POOL");
		for (j = 0; j < S_MAX; j++) {
			const char *k = stat_defs[j].key;

			putchar(' ');
			while (*k)
				putchar(*k++ - 'a' + 'A');
		}
		putchar('\n');
	}
	open_json_array(NULL);
	for (i = 0; i < st->n; i++) {
		open_json_object(NULL);
		print_string(PRINT_ANY, "pool", fmt,
			     st->p[i].name[0] ? st->p[i].name : NULL);
		for (j = 0; j < S_MAX; j++) {
			char f[32];

			snprintf(f, sizeof(f), " %%-%du",
				 (int)strlen(stat_defs[j].key));
			print_uint(PRINT_ANY, stat_defs[j].key, f, st->p[i].v[j]);
		}
		close_json_object();
		print_nl();
	}
	close_json_array();
	print_end();
}

int cmd_stats(const struct cmd *cmd, int argc, char **argv)
{
	struct stats st = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	bool prom = false;
	int ret;

	for (; argc > 0; argc--, argv++) {
		const char *kw = *argv;

		if (is_help(kw)) {
			print_usage(stdout, cmd);
			return 0;
		}
		/* also as an option, the way node_exporter docs spell it */
		while (*kw == '-')
			kw++;
		if (!strcmp(kw, "prometheus") && !prom)
			prom = true;
		else
			return parse_error("%s \"%s\"", prom &&
					   !strcmp(kw, "prometheus") ?
					   "duplicate" : "unknown keyword",
					   *argv);
	}
	ret = nl_open_msg(&ctx, VFPOOL_CMD_POOL_GET, NLM_F_DUMP, &nlh);
	if (ret)
		return ret;
	ret = nl_request(&ctx, nlh, stats_cb, &st);
	nl_close(&ctx);
	if (!ret) {
		qsort(st.p, st.n, sizeof(*st.p), cmp_name);
		if (prom)
			print_prometheus(&st);
		else
			print_table(&st);
	}
	free(st.p);
	return ret;
}
