// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny JSON writer: objects, arrays, strings and raw scalars, compact or
 * pretty (-p), written to stdout.  Nesting is tracked so that commas and
 * indentation come out right; keys are given by the caller.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "vfpoolctl.h"

#define JW_MAX_DEPTH	16

static int depth;
static bool first[JW_MAX_DEPTH];

static void indent(void)
{
	int i;

	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("    ", stdout);
}

static void put_escaped(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/* Separator before a new member or element, then "key": if any. */
static void sep(const char *key)
{
	if (depth > 0) {
		if (!first[depth])
			putchar(',');
		first[depth] = false;
		if (pretty)
			indent();
	}
	if (key && depth > 0) {
		put_escaped(key);
		putchar(':');
		if (pretty)
			putchar(' ');
	}
}

void jw_open(const char *key, char c)
{
	sep(key);
	putchar(c);
	if (depth < JW_MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
}

void jw_close(char c)
{
	bool empty = first[depth];

	if (depth > 0)
		depth--;
	if (pretty && !empty)
		indent();
	putchar(c);
}

void jw_string(const char *key, const char *val)
{
	sep(key);
	if (val)
		put_escaped(val);
	else
		fputs("null", stdout);
}

void jw_raw(const char *key, const char *fmt, ...)
{
	va_list ap;

	sep(key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* End of a top-level value: one per line. */
void jw_end(void)
{
	if (depth == 0)
		putchar('\n');
}
