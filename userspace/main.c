// SPDX-License-Identifier: GPL-2.0
/*
 * vfpoolctl - manage kernel-held reservations of SR-IOV VFs (vfpool).
 *
 *   vfpoolctl [ OPTIONS ] OBJECT COMMAND [ ARGS ]
 *   vfpoolctl [ OPTIONS ] -batch FILE
 *
 * Objects and commands are tables of { name, function, help, usage } that
 * dispatch and print their own help; "help" works at every level without
 * ever touching netlink.  Keywords and options are matched in full only.
 * Every command function returns 0 or -errno; exit_status() makes that the
 * exit status, in one place.
 */
#include <stdlib.h>
#include <string.h>

#include "vfpoolctl.h"

void print_usage(FILE *f, const struct cmd *cmd)
{
	fprintf(f, "Usage: %s", cmd->usage);
	if (cmd->where)
		fputs(cmd->where, f);
}

static void print_table(FILE *f, const char *title, const struct cmd *cmds,
			size_t n)
{
	size_t i;

	fprintf(f, "\n%s:\n", title);
	for (i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
}

static void object_help(FILE *f, const char *object, const struct cmd *cmds,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "       " : "Usage: ", cmds[i].usage);
	print_table(f, "Commands", cmds, n);
	fprintf(f, "\nSee vfpoolctl %s COMMAND help for the details.\n",
		object);
}

/*
 * Run the command argv[0] of an object; none means "show", the first
 * entry of the table, like ip(8).
 */
int dispatch(const char *object, const struct cmd *cmds, size_t n,
	     int argc, char **argv)
{
	size_t i;

	cur_obj = object;
	if (argc == 0) {
		cur_cmd = &cmds[0];
		return cmds[0].fn(&cmds[0], 0, argv);
	}
	if (is_help(argv[0])) {
		object_help(stdout, object, cmds, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[0], cmds[i].name)) {
			cur_cmd = &cmds[i];
			return cmds[i].fn(&cmds[i], argc - 1, argv + 1);
		}
	}
	return parse_error("unknown command \"%s\"", argv[0]);
}

static int cmd_help(const struct cmd *cmd, int argc, char **argv);
static int run_cmd(int argc, char **argv);

static const struct cmd objects[] = {
	{ "pool", cmd_pool, "enroll PFs into vfpool, list, change and remove them",
	  "vfpoolctl pool { show | add | set | del | apply | help }\n", NULL },
	{ "vf", cmd_vf, "list, reserve, configure and release VFs",
	  "vfpoolctl vf { show | reserve | set | release | help }\n", NULL },
	{ "monitor", cmd_monitor, "print vfpool events as they happen",
	  "vfpoolctl monitor\n", NULL },
	{ "stats", cmd_stats, "VF counts per pool, for Prometheus",
	  "vfpoolctl stats [ prometheus ]\n", NULL },
	{ "help", cmd_help, "this text, or the help of an OBJECT",
	  "vfpoolctl help [ OBJECT [ COMMAND ] ]\n", NULL },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vfpoolctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       vfpoolctl [ OPTIONS ] -b[atch] FILENAME [ -force ]\n"
		"       vfpoolctl help [ OBJECT ]\n"
		"where  OBJECT := { pool | vf | monitor | stats }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -n[etns] NAME |\n"
		"                    -V[ersion] | -h[elp] }\n");
	print_table(f, "Objects", objects, ARRAY_SIZE(objects));
	fprintf(f, "\nSee vfpoolctl OBJECT help, and vfpoolctl(8).\n"
		"Exit status: 0 success, 1 usage error, 2 the kernel refused.\n");
}

/* help [ OBJECT [ COMMAND ] ]: the same as OBJECT [ COMMAND ] help */
static int cmd_help(const struct cmd *cmd, int argc, char **argv)
{
	char *args[4];

	(void)cmd;
	if (argc == 0 || !strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	cur_obj = NULL;
	cur_cmd = NULL;
	if (argc > 2)
		return kw_unknown(argv[2]);
	args[0] = argv[0];
	args[1] = argc > 1 ? argv[1] : "help";
	args[2] = argc > 1 ? "help" : NULL;
	args[3] = NULL;
	return run_cmd(argc + 1, args);
}

/*
 * The one place a command's result becomes the exit status: 0 success;
 * any failure is 2 when the kernel refused a request (or vfpool is not
 * there: nl_refused), else 1 (usage, or a local failure).
 */
int exit_status(int ret)
{
	if (!ret)
		return EXIT_OK;
	return nl_refused ? EXIT_KERNEL : EXIT_USAGE;
}

static int run_cmd(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		if (!strcmp(argv[0], objects[i].name)) {
			cur_obj = objects[i].name;
			return objects[i].fn(&objects[i], argc - 1, argv + 1);
		}
	}
	return parse_error("object \"%s\" is unknown", argv[0]);
}

/* OBJECT COMMAND ARGS: one command line, from argv or from a batch file. */
int run_object(int argc, char **argv)
{
	cur_obj = NULL;
	cur_cmd = NULL;
	nl_refused = false;
	return exit_status(run_cmd(argc, argv));
}

/*
 * Options, the iproute2 way: one or two dashes, in full ("-json") or their
 * one-letter form ("-j"), which may be grouped ("-jp").
 */
static const struct {
	const char *name;
	char letter;
	bool arg;
} options[] = {
	{ "json", 'j', false },
	{ "pretty", 'p', false },
	{ "netns", 'n', true },
	{ "batch", 'b', true },
	{ "force", 0, false },
	{ "Version", 'V', false },
	{ "version", 0, false },
	{ "help", 'h', false },
};

static int find_option(const char *arg)
{
	size_t i;

	if (arg[0] == '-' && arg[1] == '-')
		arg++;
	for (i = 0; i < ARRAY_SIZE(options); i++)
		if (!strcmp(arg + 1, options[i].name) ||
		    (options[i].letter && arg[1] == options[i].letter && !arg[2]))
			return i;
	return -1;
}

int main(int argc, char **argv)
{
	const char *batch = NULL, *netns = NULL;
	bool force = false;
	int o;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *arg = argv[0];
		const char *p;

		if (!strcmp(arg, "--")) {
			argc--;
			argv++;
			break;
		}
		o = find_option(arg);
		if (o < 0) {
			/* grouped one-letter flags without a value: -jp */
			for (p = arg + 1; *p && strchr("jp", *p); p++)
				;
			if (*p || p == arg + 1) {
				parse_error("unknown option \"%s\"", arg);
				return EXIT_USAGE;
			}
			for (p = arg + 1; *p; p++) {
				json = true;
				pretty |= *p == 'p';
			}
			continue;
		}
		if (options[o].arg) {
			if (argc < 2) {
				parse_error("option \"%s\" needs a value", arg);
				return EXIT_USAGE;
			}
			argc--;
			argv++;
		}
		switch (options[o].letter ? options[o].letter : options[o].name[0]) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = json = true;
			break;
		case 'n':
			netns = argv[0];
			break;
		case 'b':
			batch = argv[0];
			break;
		case 'f':
			force = true;
			break;
		case 'V':
		case 'v':
			printf("vfpoolctl %s\n", VERSION);
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		}
	}

	if (netns && netns_switch(netns))
		return EXIT_USAGE;
	if (batch) {
		if (argc > 0) {
			parse_error("\"%s\" after -batch FILE", argv[0]);
			return EXIT_USAGE;
		}
		return do_batch(batch, force);
	}
	if (argc == 0) {
		parse_error("missing OBJECT");
		return EXIT_USAGE;
	}
	return run_object(argc, argv);
}
