// SPDX-License-Identifier: GPL-2.0
/*
 * SIGINT and SIGTERM end monitor and the hold loop; both read them from a
 * signalfd in their poll loop.
 */
#include <signal.h>

#include "vfpoolctl.h"

/*
 * Block SIGINT and SIGTERM so that a signalfd on @mask reads them.  Restore
 * their default disposition first: a shell starts background jobs with
 * SIGINT ignored, and an ignored signal never reaches the signalfd.
 */
int block_signals(sigset_t *mask)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(mask);
	sigaddset(mask, SIGINT);
	sigaddset(mask, SIGTERM);
	return sigprocmask(SIG_BLOCK, mask, NULL);
}
