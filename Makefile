# SPDX-License-Identifier: GPL-2.0
#
# Front door.  `make lab` and `make check` are the two commands a user needs;
# each installs what it needs first (tools/setup.sh, idempotent).
#
#   make            build kernel modules and userspace
#   make lab        boot the lab VM, load the modules, show the NIC switch
#   make lab-shell  a shell inside the lab
#   make check      every test, each run once: GoogleTest units, pytest, in-VM
#                   KTAP suites, lint, and sriovd/sriovctl under ASan+UBSan; ends
#                   with the list of skipped checks (tests/README.rst)
#   make bench      one VM run, project vs in-tree anchor -> build/bench/results.json
#   make bench-scale  sriovd on the fake backend at 10..10,000 partitions -> build/bench/scale.json
#                   (SCALE_N=10,100 SCALE_SAMPLE=50 for a quick run)
#   make checkpatch checkpatch.pl --strict over kernel/
#   make sparse     sparse over kernel/ (C=2)
#   make soak       long fuzzers + 10,000 attach/failover/detach cycles (SOAK_CYCLES;
#                   SOAK_WHAT=cycles: the cycles only)
#   make fuzz       the long fuzzers only (SOAK_GENL, SOAK_MBX, ...)
#   make check-debug  the in-VM suite on a KASAN/lockdep/kmemleak kernel (hours)
#   make install    sriovd, sriovctl, the systemd unit, man pages, completion
#                   and the modules' DKMS source (PREFIX=/usr/local, DESTDIR);
#                   without DESTDIR also `dkms install` (INSTALL_DKMS=no: not)
#   make uninstall  removes all of that again (same PREFIX and DESTDIR)
#   make deb        Debian packages sriov-dkms and sriovd -> build/deb
#   make check-systemd  both packages under Debian's systemd as PID 1 in
#                   the lab VM, modules built by DKMS there (tests/systemd/systemd_unit.sh)
#   make check-host  the lab's KTAP tests on this host's 82576, as named in
#                   /etc/sriov/check-host.conf (CHECK_HOST_CONFIG=FILE,
#                   CHECK_HOST_TESTS="vf_basic ..."; tools/host/check-host)

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD ?= $(TOP)/build
SOAK_WHAT ?= all
KVER ?= $(shell $(TOP)/tools/kver.sh --print)
KDIR ?= /lib/modules/$(KVER)/build
PYTHON ?= /usr/bin/python3
JOBS ?= $(shell nproc)
# Extra ctest arguments, e.g. CTEST_ARGS="-L vm" or "-R vm.pf_link".  Every
# test runs once: a flaky test is a bug to find, not to rerun.
CTEST_ARGS ?=
# The sanitizer build of the daemon, its CLI and their unit tests
# (tests/CMakeLists.txt runs them; its default is this path too).
ASAN_BUILD ?= $(BUILD)/cmake-asan
# What tests and `make lab` read from Debian's linux-source (tools/ksrc.sh):
# the YNL library, CLI and generator with the genetlink schema, the devlink
# spec the devlink tests drive the YNL CLI with, and what
# tools/checkpatch.sh runs.  One extraction for all: each tar run decompresses
# the whole tarball (10-25 s).
KSRC_PATHS := tools/net/ynl Documentation/netlink/genetlink.yaml \
	Documentation/netlink/specs/devlink.yaml \
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
export KVER KDIR

all: modules userspace

setup:
	@$(TOP)/tools/setup.sh

modules: setup
	$(MAKE) -C kernel -j$(JOBS) KDIR=$(KDIR) modules

sparse: setup
	$(MAKE) -C kernel -j$(JOBS) KDIR=$(KDIR) sparse

# The regular build: optimised, with line tables (-g1), which is what a
# backtrace, perf, a core file's stack and addr2line need (function,
# file:line, inlined frames).  The variable locations of a full -g nearly
# double the compile time (the whole userspace build on the 2-core lab host:
# 334 s with -g, 190 s with -g1).  DEBUG_INFO=-g for a build to step
# through in gdb (it takes effect when build/cmake is configured: remove
# build/cmake/CMakeCache.txt first).  The Debian packages use the flags of
# dpkg-buildflags (full -g, for their -dbgsym packages).
DEBUG_INFO ?= -g1
# Both trees build with Ninja: it compiles a program's sources while the
# libraries it links are still being built, where the Makefile generator
# builds one target after the other (the sanitizer tree on the 2-core lab
# host: 6 min 18 s with Makefiles, 4 min 14 s with Ninja).  A tree that is
# already configured keeps its generator.
CMAKE_GENERATOR ?= Ninja
$(BUILD)/cmake/CMakeCache.txt:
	cmake -G "$(CMAKE_GENERATOR)" -S $(TOP) -B $(BUILD)/cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		"-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 $(DEBUG_INFO) -DNDEBUG" \
		"-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 $(DEBUG_INFO) -DNDEBUG" \
		-DPython3_EXECUTABLE=$(PYTHON)

userspace: setup ksrc $(BUILD)/cmake/CMakeCache.txt
	cmake --build $(BUILD)/cmake -j $(JOBS)

vm-modules: modules
	$(TOP)/tools/vm/stage-modules.sh

# The YNL library compiled to bytecode here: the lab guest never writes
# bytecode to the shared tree, and compiling it at every YNL start costs
# a third of a second under TCG.
ksrc: setup
	ynl=$$($(TOP)/tools/ksrc.sh $(KSRC_PATHS))/tools/net/ynl && \
		$(PYTHON) -m compileall -q "$$ynl/lib" >/dev/null

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -G "$(CMAKE_GENERATOR)" -S $(TOP) -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSRIOV_SANITIZE=ON \
		-DPython3_EXECUTABLE=$(PYTHON)

userspace-asan: setup ksrc $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target sriovd sriovctl sriovd_unit_tests sriov-netvsc

# The results of an earlier run are removed first: the summary speaks only
# of this one.  ctest's exit status and the summary's both decide.  ctest
# runs up to JOBS tests at once; every test that boots a lab VM is
# RUN_SERIAL (tests/CMakeLists.txt), so a guest never shares the host's
# CPUs with another test.
check: modules userspace userspace-asan vm-modules ksrc
	rm -rf $(BUILD)/ktap $(BUILD)/vm/reruns.txt $(BUILD)/cmake/junit-*.xml \
		$(BUILD)/ctest-junit.xml
	cd $(BUILD)/cmake && ctest -j $(JOBS) --output-on-failure --no-tests=error \
		--output-junit $(BUILD)/ctest-junit.xml $(CTEST_ARGS); \
	rc=$$?; \
	$(PYTHON) $(TOP)/tools/test-summary.py --build $(BUILD) || rc=1; \
	exit $$rc

lab: modules userspace vm-modules ksrc
	$(TOP)/tools/lab/lab.sh

lab-shell: modules userspace vm-modules ksrc
	$(TOP)/tools/lab/lab-shell.sh

bench: modules userspace vm-modules ksrc
	$(TOP)/tools/bench/bench.sh $(BENCH_ARGS)

bench-scale: userspace
	$(PYTHON) $(TOP)/tools/bench/scale/scale.py --build $(BUILD)/cmake --out $(BUILD)/bench/scale.json

checkpatch: setup
	$(TOP)/tools/checkpatch.sh

$(BUILD)/rel/mbx_fuzz: $(TOP)/tools/rel/mbx_fuzz.c
	mkdir -p $(BUILD)/rel
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

soak: modules userspace vm-modules ksrc $(BUILD)/rel/mbx_fuzz
	$(TOP)/tools/rel/soak.sh $(SOAK_WHAT)

fuzz: modules userspace vm-modules ksrc $(BUILD)/rel/mbx_fuzz
	$(TOP)/tools/rel/soak.sh fuzz

check-debug: modules userspace ksrc
	$(TOP)/tools/rel/check-debug.sh "$(CHECK_DEBUG_TESTS)"

# On a lab host: the modules come from the installed stack (make install or
# the sriov-dkms package), the tests' tools from this tree's build.
CHECK_HOST_CONFIG ?= $(or $(SRIOV_HOST_CONFIG),/etc/sriov/check-host.conf)
check-host: userspace
	$(TOP)/tools/host/check-host --config $(CHECK_HOST_CONFIG) $(CHECK_HOST_TESTS)

# --- Installation -----------------------------------------------------------
# `make install` installs what `make userspace` built (it builds nothing: run
# it as root after a build).  DKMS always takes its sources from /usr/src,
# whatever the PREFIX.  The unit goes where systemd looks for it: /lib for
# PREFIX=/usr (Debian's place), PREFIX/lib otherwise (/usr/local/lib/systemd
# is in systemd's search path).  tests/pytest/test_install.py checks the list.
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)
SBINDIR ?= $(PREFIX)/sbin
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
DKMS_NAME := sriov-stack
DKMS_SRC := /usr/src/$(DKMS_NAME)-$(VERSION)
INSTALL_DKMS ?= $(if $(DESTDIR),no,yes)
# The modules' sources as DKMS builds them (dkms.conf: make -C kernel):
# kernel/ and the uapi headers, without anything a build left.
DKMS_FILES = $(shell cd $(TOP) && find kernel include -type f \
	\( -name '*.c' -o -name '*.h' -o -name Kbuild -o -name Makefile \) \
	! -name '*.mod.c' | sort)
CMAKE_OUT := $(BUILD)/cmake
INSTALLED_USERSPACE = $(SBINDIR)/sriovd $(BINDIR)/sriovctl \
	$(MANDIR)/man8/sriovd.8 $(MANDIR)/man8/sriovctl.8 \
	$(BASHCOMPDIR)/sriovctl $(UNITDIR)/sriovd.service

install-userspace:
	@for f in daemon/sriovd daemon/sriovd.8 tools/sriovctl/sriovctl tools/sriovctl/sriovctl.8; do \
		[ -f "$(CMAKE_OUT)/$$f" ] || { echo "install: $(CMAKE_OUT)/$$f missing: run make userspace first" >&2; exit 1; }; \
	done
	install -D -m 0755 $(CMAKE_OUT)/daemon/sriovd $(DESTDIR)$(SBINDIR)/sriovd
	install -D -m 0755 $(CMAKE_OUT)/tools/sriovctl/sriovctl $(DESTDIR)$(BINDIR)/sriovctl
	install -D -m 0644 $(CMAKE_OUT)/daemon/sriovd.8 $(DESTDIR)$(MANDIR)/man8/sriovd.8
	install -D -m 0644 $(CMAKE_OUT)/tools/sriovctl/sriovctl.8 $(DESTDIR)$(MANDIR)/man8/sriovctl.8
	install -D -m 0644 $(TOP)/tools/sriovctl/sriovctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/sriovctl
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' $(TOP)/daemon/sriovd.service.in >$(DESTDIR)$(UNITDIR)/sriovd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/sriovd.service

install-dkms-src:
	install -D -m 0644 $(TOP)/dkms.conf $(DESTDIR)$(DKMS_SRC)/dkms.conf
	cd $(TOP) && for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRC)/$$f; done

install: install-userspace install-dkms-src
ifeq ($(INSTALL_DKMS),yes)
	dkms install $(DKMS_NAME)/$(VERSION)
	-[ -d /run/systemd/system ] && systemctl daemon-reload
endif

uninstall:
ifeq ($(INSTALL_DKMS),yes)
	-[ -d /run/systemd/system ] && systemctl disable --now sriovd.service
	-dkms remove $(DKMS_NAME)/$(VERSION) --all
endif
	rm -f $(addprefix $(DESTDIR),$(INSTALLED_USERSPACE))
	rm -rf $(DESTDIR)$(DKMS_SRC)
ifeq ($(INSTALL_DKMS),yes)
	-[ -d /run/systemd/system ] && systemctl daemon-reload
endif

# Debian packages sriov-dkms and sriovd, built by dpkg-buildpackage from a
# copy of the checkout's files (tracked and new, not ignored) in
# build/deb/sriov-stack-VERSION; the .debs land in build/deb.  lintian's
# verdict goes to build/deb/lintian.txt when lintian is installed.
DEB_DIR := $(BUILD)/deb
deb: setup ksrc
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/$(DKMS_NAME)-$(VERSION)
	cd $(TOP) && git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' _ | \
		tar --null -T - -cf - | tar -C $(DEB_DIR)/$(DKMS_NAME)-$(VERSION) -xf -
	cd $(DEB_DIR)/$(DKMS_NAME)-$(VERSION) && SRIOV_KSRC=$(BUILD)/ksrc \
		DEB_BUILD_OPTIONS="parallel=$(JOBS) $(DEB_BUILD_OPTIONS)" \
		dpkg-buildpackage -b -us -uc
	rm -rf $(DEB_DIR)/$(DKMS_NAME)-$(VERSION)
	ls -l $(DEB_DIR)/*.deb
	if command -v lintian >/dev/null; then \
		lintian --tag-display-limit 0 $(DEB_DIR)/*.changes >$(DEB_DIR)/lintian.txt 2>&1 || true; \
		cat $(DEB_DIR)/lintian.txt; fi

# The systemd lab mode is slower to boot than the lab's own init (a full
# basic.target) and the test builds the modules by DKMS in the guest: a
# separate target, not part of `make check`.  The modules are the
# sriov-dkms package's, not build/vm-modules.
SYSTEMD_TEST := $(TOP)/tests/systemd/systemd_unit.sh
check-systemd: userspace deb
	$(TOP)/tools/vm/run --name systemd_unit --boot-timeout 300 \
		--timeout $$(sed -n 's/^# timeout: *//p' $(SYSTEMD_TEST)) \
		$$(sed -n 's/^# vm-args://p' $(SYSTEMD_TEST)) -- $(SYSTEMD_TEST)

clean:
	$(MAKE) -C kernel KDIR=$(KDIR) clean
	rm -rf $(BUILD)

.PHONY: all setup modules sparse userspace userspace-asan vm-modules ksrc check lab \
	lab-shell bench bench-scale checkpatch clean soak fuzz check-debug check-host \
	install install-userspace install-dkms-src uninstall deb check-systemd
