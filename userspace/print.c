// SPDX-License-Identifier: GPL-2.0
/*
 * One print path for text and JSON, in the style of iproute2's
 * json_print.c: every field is printed once, with its JSON key and its text
 * format.  PRINT_ANY goes to both, PRINT_FP only to text, PRINT_JSON only
 * to JSON.  A NULL string is JSON null and "-" in text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfpoolctl.h"

bool json;
bool pretty;

static bool to_json(enum output_type t, const char *key)
{
	return json && (t & PRINT_JSON) && key;
}

static bool to_fp(enum output_type t, const char *fmt)
{
	return !json && (t & PRINT_FP) && fmt;
}

void open_json_object(const char *key)
{
	if (json)
		jw_open(key, '{');
}

void close_json_object(void)
{
	if (json)
		jw_close('}');
}

void open_json_array(const char *key)
{
	if (json)
		jw_open(key, '[');
}

void close_json_array(void)
{
	if (json)
		jw_close(']');
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val)
{
	if (to_json(t, key))
		jw_string(key, val);
	else if (to_fp(t, fmt))
		printf(fmt, val ? val : "-");
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int val)
{
	if (to_json(t, key))
		jw_raw(key, "%u", val);
	else if (to_fp(t, fmt))
		printf(fmt, val);
}

void print_int(enum output_type t, const char *key, const char *fmt, int val)
{
	if (to_json(t, key))
		jw_raw(key, "%d", val);
	else if (to_fp(t, fmt))
		printf(fmt, val);
}

/* Text shows booleans as on/off, like the command line takes them. */
void print_bool(enum output_type t, const char *key, const char *fmt, bool val)
{
	if (to_json(t, key))
		jw_raw(key, "%s", val ? "true" : "false");
	else if (to_fp(t, fmt))
		printf(fmt, val ? "on" : "off");
}

void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text)
{
	if (to_json(t, key))
		jw_raw(key, "null");
	else if (to_fp(t, fmt))
		printf(fmt, text);
}

void print_nl(void)
{
	if (!json)
		putchar('\n');
}

/* End of one top-level JSON value (or text record): flush it out. */
void print_end(void)
{
	if (json)
		jw_end();
	fflush(stdout);
}

/*
 * Text tables are sized to their data (owner labels of 63 bytes, long pool
 * names): a dump is collected first, measured, then printed.
 */
int msgs_add_cb(const struct nlmsghdr *nlh, void *data)
{
	struct msgs *m = data;
	struct nlmsghdr *copy;

	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct nlmsghdr **v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return MNL_CB_ERROR;
		m->v = v;
		m->cap = cap;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return MNL_CB_ERROR;
	memcpy(copy, nlh, nlh->nlmsg_len);
	m->v[m->n++] = copy;
	return MNL_CB_OK;
}

void msgs_free(struct msgs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* Size the columns that follow the data to the widest value. */
static void table_fit(struct table *t, struct msgs *m)
{
	const struct nlattr *tb[TB_MAX + 1];
	struct column *c, *end = t->cols + t->ncols;
	size_t i;

	for (c = t->cols; c < end; c++)
		if (c->attr)
			c->width = strlen(c->title);
	for (i = 0; i < m->n; i++) {
		if (t->parse(m->v[i], tb) < 0)
			continue;
		for (c = t->cols; c < end; c++)
			if (c->attr)
				col_fit(&c->width, attr_str_or_null(tb[c->attr]));
	}
	for (c = t->cols; c < end; c++)
		if (c->attr)
			snprintf(c->fmt, sizeof(c->fmt), "%s%%-%ds",
				 c == t->cols ? "" : " ", c->width);
}

/* One object of a reply: one line of the table, or one JSON object. */
int table_row(const struct table *t, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[TB_MAX + 1];

	if (t->parse(nlh, tb) < 0)
		return MNL_CB_ERROR;
	open_json_object(NULL);
	t->print(tb, VF_COLUMNS);
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* Text: the collected objects under their header, columns sized. */
void table_print(struct table *t, struct msgs *m)
{
	size_t i;

	if (json || !m->n)
		return;
	table_fit(t, m);
	for (i = 0; i < t->ncols; i++)
		printf("%s%-*s", i ? " " : "", i + 1 < t->ncols ?
		       t->cols[i].width : 0, t->cols[i].title);
	putchar('\n');
	for (i = 0; i < m->n; i++)
		table_row(t, m->v[i]);
}

struct table_dump {
	struct table *t;
	struct msgs m;
};

/* JSON streams; text is collected first, to size the columns. */
static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct table_dump *d = data;

	return json ? table_row(d->t, nlh) : msgs_add_cb(nlh, &d->m);
}

/* Send a get or dump request; print the reply as a table or JSON array. */
int table_show(struct table *t, struct nlctx *ctx, struct nlmsghdr *nlh)
{
	struct table_dump d = { .t = t };
	int ret;

	open_json_array(NULL);
	ret = nl_request(ctx, nlh, table_cb, &d);
	close_json_array();
	table_print(t, &d.m);
	print_end();
	msgs_free(&d.m);
	return ret;
}

/* A local system call failed: "vfpoolctl: WHAT: reason"; -errno. */
int sys_error(const char *what)
{
	int err = errno;

	fprintf(stderr, "vfpoolctl: %s: %s\n", what, strerror(err));
	return -err;
}

void col_fit(int *w, const char *s)
{
	int len = s ? (int)strlen(s) : 1;

	if (len > *w)
		*w = len > 64 ? 64 : len;
}
