// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsers.  Every one of them is strict, and on failure prints one
 * line on stderr naming the offending word and where the usage is, as ip(8)
 * does:  Error: unknown keyword "x". Try 'vfpoolctl vf reserve help'.
 * Nothing is ever sent to the kernel before the whole command line has
 * parsed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vfpoolctl.h"

const struct cmd *cur_cmd;	/* the command being parsed, if any */
const char *cur_obj;		/* its object, if any */
const char *cur_file;		/* the config file being parsed, if any */
unsigned int cur_line;		/* and the line in it */

/* Print the error; returns -EINVAL, what a command returns for it. */
int parse_error(const char *fmt, ...)
{
	va_list ap;

	/* in a config file: "FILE:LINE: message", like a compiler */
	if (cur_file) {
		fprintf(stderr, "%s:%u: ", cur_file, cur_line);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
		return -EINVAL;
	}
	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cur_obj && cur_cmd)
		fprintf(stderr, ". Try 'vfpoolctl %s %s help'.\n", cur_obj,
			cur_cmd->name);
	else if (cur_obj)
		fprintf(stderr, ". Try 'vfpoolctl %s help'.\n", cur_obj);
	else
		fputs(". Try 'vfpoolctl help'.\n", stderr);
	return -EINVAL;
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "help");
}

/* Step from a keyword to its value; the keyword must have one. */
int need_arg(int *argc, char ***argv)
{
	const char *kw = **argv;

	if (*argc < 2)
		return parse_error("missing value after \"%s\"", kw);
	(*argc)--;
	(*argv)++;
	return 0;
}

int dup_check(unsigned long *seen, unsigned int bit, const char *kw)
{
	if (SEEN(*seen, bit))
		return parse_error("duplicate \"%s\"", kw);
	*seen |= BIT(bit);
	return 0;
}

/*
 * The keyword tables of the pool and vf commands.  If the word at **argv
 * is a keyword of @kws and its bit is in @allowed: mark it in @seen (twice
 * is an error) and, unless it is a flag, step *argv to its value.  Returns
 * the keyword's bit, -ENOENT when the word is no such keyword (the caller
 * decides), or -EINVAL after printing an error.
 */
int kw_next(const struct keyword *kws, size_t n, unsigned long allowed,
	    unsigned long *seen, int *argc, char ***argv)
{
	const char *word = **argv;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(word, kws[i].name))
			break;
	if (i == n || !(allowed & BIT(kws[i].bit)))
		return -ENOENT;
	if (dup_check(seen, kws[i].bit, word) ||
	    (!kws[i].flag && need_arg(argc, argv)))
		return -EINVAL;
	return kws[i].bit;
}

/* A keyword the command does not take. */
int kw_unknown(const char *word)
{
	return parse_error("unknown keyword \"%s\"", word);
}

/* The value of an enum keyword: its index in names[]. */
int parse_enum(const char *kw, const char *arg, const char *const *names,
	       size_t n, uint32_t *val)
{
	char choices[64] = "";
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(arg, names[i])) {
			*val = i;
			return 0;
		}
		len += snprintf(choices + len, sizeof(choices) - len, "%s%s",
				i ? (i + 1 == n ? " or " : ", ") : "",
				names[i]);
	}
	return parse_error("invalid %s \"%s\" (%s)", kw, arg, choices);
}

const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int parse_u32(const char *kw, const char *arg, uint32_t max, uint32_t *val)
{
	unsigned long long v;

	errno = 0;
	if (!all_digits(arg) || strlen(arg) > 10)
		return parse_error("invalid %s \"%s\" (a number 0-%u)", kw, arg,
				   max);
	v = strtoull(arg, NULL, 10);
	if (errno || v > max)
		return parse_error("%s \"%s\" out of range (0-%u)", kw, arg,
				   max);
	*val = v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly xx:xx:xx:xx:xx:xx, hex digits in either case. */
int parse_mac(const char *arg, uint8_t mac[6])
{
	int i;

	if (strlen(arg) != 17)
		goto bad;
	for (i = 0; i < 6; i++) {
		const char *p = arg + 3 * i;
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
			goto bad;
		mac[i] = hi << 4 | lo;
	}
	return 0;
bad:
	return parse_error("invalid MAC address \"%s\" (xx:xx:xx:xx:xx:xx)",
			   arg);
}

/* The text parse_mac() reads: xx:xx:xx:xx:xx:xx, lower case. */
const char *mac_str(const uint8_t mac[6], char buf[MAC_STR_LEN])
{
	snprintf(buf, MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* Match s against a pattern of 'h' (hex digit), 'o' (0-7) and literals. */
static bool match(const char *s, const char *pat)
{
	for (; *pat; s++, pat++) {
		if (*pat == 'h') {
			if (hexval(*s) < 0)
				return false;
		} else if (*pat == 'o') {
			if (*s < '0' || *s > '7')
				return false;
		} else if (*s != *pat) {
			return false;
		}
	}
	return !*s;
}

/* dddd:bb:ss.f or bb:ss.f (domain 0000), normalised to lower case. */
int parse_pci(const char *arg, char out[VFPOOL_PCI_ADDR_LEN])
{
	const char *p = arg;
	char *c;

	if (match(arg, "hh:hh.o")) {
		snprintf(out, VFPOOL_PCI_ADDR_LEN, "0000:%s", arg);
		p = arg;
	} else if (match(arg, "hhhh:hh:hh.o")) {
		snprintf(out, VFPOOL_PCI_ADDR_LEN, "%s", arg);
		p = arg + 5;
	} else {
		goto bad;
	}
	/* device (slot) number is 5 bits */
	if (hexval(p[3]) * 16 + hexval(p[4]) > 0x1f)
		goto bad;
	for (c = out; *c; c++)
		*c = tolower((unsigned char)*c);
	return 0;
bad:
	return parse_error("invalid PCI address \"%s\" (dddd:bb:ss.f)", arg);
}

int parse_onoff(const char *kw, const char *arg, uint8_t *val)
{
	if (!strcmp(arg, "on"))
		*val = 1;
	else if (!strcmp(arg, "off"))
		*val = 0;
	else
		return parse_error("invalid %s \"%s\" (on or off)", kw, arg);
	return 0;
}

/* The kernel's dev_valid_name(), so that a bad name never goes out. */
int parse_ifname(const char *arg)
{
	size_t len = strlen(arg);
	const char *s;

	if (!len || len > 15 || !strcmp(arg, ".") || !strcmp(arg, ".."))
		goto bad;
	for (s = arg; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			goto bad;
	return 0;
bad:
	return parse_error("invalid interface name \"%s\"", arg);
}

int parse_label(const char *kw, const char *arg, size_t max)
{
	size_t len = strlen(arg);

	if (!len)
		return parse_error("empty %s", kw);
	if (len > max)
		return parse_error("%s \"%s\" is longer than %zu bytes", kw, arg,
				   max);
	return 0;
}

/* "N" (one VF) or "FIRST-LAST", FIRST <= LAST. */
int parse_range(const char *arg, uint32_t *first, uint32_t *last)
{
	unsigned long long f, l;
	char *end;

	/* strtoull() takes signs and blanks: check for digits first */
	if (!isdigit((unsigned char)arg[0]) || strlen(arg) > 21)
		goto bad;
	errno = 0;
	f = strtoull(arg, &end, 10);
	if (errno)
		goto bad;
	if (!*end) {
		l = f;
	} else {
		if (*end != '-' || !all_digits(end + 1))
			goto bad;
		l = strtoull(end + 1, &end, 10);
	}
	if (errno || f > UINT32_MAX || l > UINT32_MAX || f > l)
		goto bad;
	*first = f;
	*last = l;
	return 0;
bad:
	return parse_error("invalid VF range \"%s\" (N or FIRST-LAST, FIRST <= LAST)",
			   arg);
}

static const char *const park_names[] = {
	[VFPOOL_PARK_LINK_DOWN] = "link-down",
	[VFPOOL_PARK_NONE] = "none",
	[VFPOOL_PARK_VLAN] = "vlan",
};

const char *park_name(uint32_t park)
{
	return NAME_OF(park_names, park);
}

/* The park policy keyword's value: link-down, none or vlan. */
int parse_park(const char *arg, uint32_t *park)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(park_names); i++) {
		if (!strcmp(arg, park_names[i])) {
			*park = i;
			return 0;
		}
	}
	return parse_error("invalid park \"%s\" (link-down, none or vlan VID)",
			   arg);
}
