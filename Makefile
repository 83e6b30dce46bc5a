# SPDX-License-Identifier: GPL-2.0
#
# vfpool: kernel-held ownership of SR-IOV virtual functions.
#
#   make                build the module (against KDIR) and vfpoolctl
#   make check          build and run every selftest in QEMU guests
#   make check-quick    the same, on the stock Debian 6.1 guest only
#   make demo           boot a guest and walk through a reservation
#   make vm-shell       interactive shell in a guest (PROFILE=6.1|6.12|debug|igb)
#   make install        install module, tool, man page, completion, hooks
#   make dkms-install   register and build the module with DKMS
#   make dkms-tree      only lay the DKMS source tree out (under DESTDIR)
#   make dkms-test      dkms build for the 6.1 and 6.12 guest kernels
#   make lint           style + sparse + shellcheck + python checks (make check
#                       runs it and fails on any finding)
#   make style          checkpatch --strict on every source file
#   make sparse         build the module with sparse (C=2)
#   make regen          regenerate code from Documentation/netlink/specs/vfpool.yaml
#   make bench          benchmarks in the guest

VERSION := 0.1.0
KVER ?= $(shell uname -r)
# The running kernel's build tree, or what KDIR= names.  No silent fallback
# to another kernel's headers: a module for the wrong kernel would not load.
KDIR ?= /lib/modules/$(KVER)/build
# The guests' kernel, for sparse in make lint (any host).
LINT_KDIR ?= /usr/src/linux-headers-6.1.0-56-amd64
PREFIX ?= /usr/local
DESTDIR ?=
PROFILE ?= 6.1

all: module tool

kdir-check:
	@test -f $(KDIR)/Makefile || { \
	echo "vfpool: no kernel build tree at $(KDIR) (headers for the running kernel $(KVER))." >&2; \
	echo "vfpool: install linux-headers-$(KVER), or name a tree: make KDIR=/path/to/linux/build" >&2; \
	exit 1; }

module: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tool:
	$(MAKE) -C userspace

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	rm -rf build

deps:
	scripts/install-deps.sh

install: install-module install-tool

# The release the module was built for (vermagic), not necessarily the
# running one: Debian headers report their upstream version instead.
KREL = $(shell modinfo -F vermagic vfpool.ko 2>/dev/null | cut -d" " -f1)

install-module: kdir-check module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KREL)

install-tool: tool
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(if $(wildcard userspace/hooks/Makefile),$(MAKE) -C userspace/hooks install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR))

# The tree DKMS builds from: sources only, no objects of a tree build.
dkms-tree:
	rm -rf $(DESTDIR)/usr/src/vfpool-$(VERSION)
	install -d $(DESTDIR)/usr/src/vfpool-$(VERSION)
	cp -r Kbuild dkms.conf kernel uapi $(DESTDIR)/usr/src/vfpool-$(VERSION)/
	find $(DESTDIR)/usr/src/vfpool-$(VERSION) \( -name '*.o' -o -name '.*.cmd' \
		-o -name '*.mod*' -o -name '*.ko' \) -delete

dkms-install: dkms-tree
	dkms add vfpool/$(VERSION)
	dkms build vfpool/$(VERSION)
	dkms install vfpool/$(VERSION)

dkms-uninstall:
	dkms remove vfpool/$(VERSION) --all
	rm -rf $(DESTDIR)/usr/src/vfpool-$(VERSION)

regen:
	scripts/ynl-regen.sh

regen-check:
	scripts/ynl-regen.sh --check

dkms-test:
	scripts/dkms-test.sh

style:
	scripts/checkpatch.sh

# The syzkaller description, generated from the spec, and its check.
syz-gen:
	scripts/syz-gen.py

syz-check:
	scripts/syz-check.sh

# The fuzzer for a given time in one guest: make fuzz SECONDS=600 SEED=42
fuzz:
	scripts/fuzz.sh $(or $(PROFILE),debug) $(or $(SECONDS),600) $(SEED)

sparse: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules

lint:
	KDIR=$(LINT_KDIR) scripts/lint.sh

check:
	selftests/vm/check.sh

check-quick:
	selftests/vm/check.sh 6.1

demo:
	PROFILE=$(PROFILE) selftests/vm/demo.sh

vm-shell:
	selftests/vm/run.sh --shell $(PROFILE)

bench:
	selftests/vm/check.sh --bench $(PROFILE)

.PHONY: all kdir-check module tool clean deps install install-module install-tool \
	dkms-tree dkms-install dkms-uninstall dkms-test regen regen-check style \
	sparse lint check check-quick demo vm-shell bench syz-gen syz-check fuzz
