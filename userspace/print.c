// SPDX-License-Identifier: GPL-2.0
/*
 * One print path for text and JSON, in the style of iproute2's
 * json_print.c: every field is printed once, with its JSON key and its text
 * format.  PRINT_ANY goes to both, PRINT_FP only to text, PRINT_JSON only
 * to JSON.  A NULL string is JSON null and "-" in text.
 */
#include <stdio.h>

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
