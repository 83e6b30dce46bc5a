// SPDX-License-Identifier: GPL-2.0
/*
 * -batch FILE and -n NETNS, as ip(8) has them.
 *
 * A batch file holds one command a line (OBJECT COMMAND ARGS, without
 * "vfpoolctl"), words separated by blanks, "double" or 'single' quotes
 * around words with blanks, # to the end of the line a comment.  The first
 * failing line stops the batch, reported as "Command failed FILE:LINE",
 * unless -force is given; the exit status is the first failure's.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "vfpoolctl.h"

#define NETNS_RUN_DIR	"/run/netns"
#define BATCH_MAX_ARGS	64

/*
 * Split line into words in place.  Returns the number of words, or -1
 * after printing an error (unterminated quote, too many words).
 */
int make_args(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max - 1) {
			return parse_error("more than %d words on a line",
					   max - 1);
		}
		argv[argc++] = w;
		while (*r && *r != ' ' && *r != '\t' && *r != '\n' &&
		       *r != '\r') {
			if (*r == '"' || *r == '\'') {
				char q = *r++;

				while (*r && *r != q)
					*w++ = *r++;
				if (!*r)
					return parse_error("unterminated quote %c",
							   q);
				r++;
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

int do_batch(const char *name, bool force)
{
	char *args[BATCH_MAX_ARGS];
	unsigned int lineno = 0;
	char *line = NULL;
	size_t len = 0;
	int status = EXIT_OK;
	FILE *f;
	int argc, ret;

	if (!strcmp(name, "-")) {
		f = stdin;
	} else {
		f = fopen(name, "r");
		if (!f) {
			fprintf(stderr, "Error: cannot open batch file \"%s\": %s.\n",
				name, strerror(errno));
			return EXIT_USAGE;
		}
	}
	while (getline(&line, &len, f) >= 0) {
		lineno++;
		cur_obj = NULL;
		cur_cmd = NULL;
		argc = make_args(line, args, BATCH_MAX_ARGS);
		if (argc == 0)
			continue;
		ret = argc < 0 ? EXIT_USAGE : run_object(argc, args);
		fflush(stdout);
		if (!ret)
			continue;
		fprintf(stderr, "Command failed %s:%u\n", name, lineno);
		if (!status)
			status = ret;
		if (!force)
			break;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return status;
}

/*
 * Enter the named network namespace as "ip netns exec" does: the netlink
 * socket then speaks to that namespace, and a private mount of /sys shows
 * its devices (pool apply reads them).
 */
int netns_switch(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Error: cannot open network namespace \"%s\": %s.\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "Error: setting the network namespace \"%s\" failed: %s.\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	/* best effort, as ip(8): without it only /sys is the old view */
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount("", "/", "none", MS_SLAVE | MS_REC, NULL) == 0 &&
	    umount2("/sys", MNT_DETACH) == 0)
		mount(name, "/sys", "sysfs", 0, NULL);
	return 0;
}
