// SPDX-License-Identifier: GPL-2.0
/*
 * vfpoolctl - manage kernel-held reservations of SR-IOV VFs (vfpool).
 *
 *   vfpoolctl [ -j ] [ -p ] [ -V ] OBJECT COMMAND [ ARGS ]
 *
 * Objects and commands are tables of { name, function, help, usage } that
 * dispatch and print their own help; "help" works at every level without
 * ever touching netlink.  Keywords are matched in full only.
 */
#include <getopt.h>
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
	fprintf(f, "\nSee vfpoolctl %s COMMAND help for the details.\n", object);
}

/*
 * Run the command argv[0] of an object; none means "show", the first
 * entry of the table, like ip(8).
 */
int dispatch(const char *object, const struct cmd *cmds, size_t n,
	     int argc, char **argv)
{
	size_t i;

	if (argc == 0) {
		cur_cmd = &cmds[0];
		return cmds[0].fn(&cmds[0], 0, argv) ? 1 : 0;
	}
	if (is_help(argv[0])) {
		object_help(stdout, object, cmds, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[0], cmds[i].name)) {
			cur_cmd = &cmds[i];
			return cmds[i].fn(&cmds[i], argc - 1, argv + 1) ? 1 : 0;
		}
	}
	fprintf(stderr, "vfpoolctl: unknown command \"%s\" for object \"%s\"\n",
		argv[0], object);
	object_help(stderr, object, cmds, n);
	return 1;
}

static int cmd_help(const struct cmd *cmd, int argc, char **argv);

static const struct cmd objects[] = {
	{ "pool", cmd_pool, "enroll PFs into vfpool, list and remove them",
	  "vfpoolctl pool { show | add | del | help }\n", NULL },
	{ "vf", cmd_vf, "list, reserve, configure and release VFs",
	  "vfpoolctl vf { show | reserve | set | release | help }\n", NULL },
	{ "monitor", cmd_monitor, "print vfpool events as they happen",
	  "vfpoolctl monitor\n", NULL },
	{ "help", cmd_help, "this text",
	  "vfpoolctl help\n", NULL },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vfpoolctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"where  OBJECT := { pool | vf | monitor }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -V[ersion] }\n");
	print_table(f, "Objects", objects, ARRAY_SIZE(objects));
	fprintf(f, "\nSee vfpoolctl OBJECT help, and vfpoolctl(8).\n");
}

static int cmd_help(const struct cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "Version", no_argument, NULL, 'V' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

int main(int argc, char **argv)
{
	size_t i;
	int opt;

	opterr = 0;
	/* "+": stop at OBJECT, so that options of an exec'd CMD stay its own */
	while ((opt = getopt_long(argc, argv, "+jpVh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			json = true;
			break;
		case 'V':
			printf("vfpoolctl %s\n", VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt)
				fprintf(stderr, "vfpoolctl: unknown option \"-%c\"\n",
					optopt);
			else
				fprintf(stderr, "vfpoolctl: unknown option \"%s\"\n",
					argv[optind - 1]);
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		fprintf(stderr, "vfpoolctl: missing OBJECT\n");
		usage(stderr);
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		if (!strcmp(argv[0], objects[i].name)) {
			cur_cmd = &objects[i];
			return objects[i].fn(&objects[i], argc - 1, argv + 1) ?
				1 : 0;
		}
	}
	fprintf(stderr, "vfpoolctl: unknown object \"%s\"\n", argv[0]);
	usage(stderr);
	return 1;
}
