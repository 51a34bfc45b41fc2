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
# the YNL library, CLI and generator with the genetlink schema, and what
# tools/checkpatch.sh runs.  One extraction for all: each tar run decompresses
# the whole tarball (10-25 s).
KSRC_PATHS := tools/net/ynl Documentation/netlink/genetlink.yaml \
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
export KVER KDIR

all: modules userspace

setup:
	@$(TOP)/tools/setup.sh

modules: setup
	$(MAKE) -C kernel -j$(JOBS) KDIR=$(KDIR) modules

sparse: setup
	$(MAKE) -C kernel -j$(JOBS) KDIR=$(KDIR) sparse

$(BUILD)/cmake/CMakeCache.txt:
	cmake -S $(TOP) -B $(BUILD)/cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DPython3_EXECUTABLE=$(PYTHON)

userspace: setup ksrc $(BUILD)/cmake/CMakeCache.txt
	cmake --build $(BUILD)/cmake -j $(JOBS)

vm-modules: modules
	$(TOP)/tools/vm/stage-modules.sh

ksrc: setup
	$(TOP)/tools/ksrc.sh $(KSRC_PATHS) >/dev/null

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S $(TOP) -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSRIOV_SANITIZE=ON \
		-DPython3_EXECUTABLE=$(PYTHON)

userspace-asan: setup ksrc $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target sriovd sriovctl sriovd_unit_tests

# The results of an earlier run are removed first: the summary speaks only
# of this one.  ctest's exit status and the summary's both decide.
check: modules userspace userspace-asan vm-modules ksrc
	rm -rf $(BUILD)/ktap $(BUILD)/vm/reruns.txt $(BUILD)/cmake/junit-*.xml \
		$(BUILD)/ctest-junit.xml
	cd $(BUILD)/cmake && ctest --output-on-failure --no-tests=error \
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

clean:
	$(MAKE) -C kernel KDIR=$(KDIR) clean
	rm -rf $(BUILD)

.PHONY: all setup modules sparse userspace userspace-asan vm-modules ksrc check lab \
	lab-shell bench bench-scale checkpatch clean soak fuzz check-debug
