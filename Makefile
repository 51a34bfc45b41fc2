# SPDX-License-Identifier: GPL-2.0
#
# Front door.  `make lab` and `make check` are the two commands a user needs;
# each installs what it needs first (tools/setup.sh, idempotent).
#
#   make            build kernel modules and userspace
#   make lab        boot the lab VM, load the modules, show the NIC switch
#   make lab-shell  a shell inside the lab
#   make check      every test: GoogleTest units, pytest, in-VM KTAP suites
#   make bench      one VM run, project vs in-tree anchor -> build/bench/results.json
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
# A failing test is run once more (as netdev CI does for VM tests under
# emulation); a broken test fails both times.  CTEST_TRIES=1 to disable.
CTEST_TRIES ?= 2
CTEST_ARGS ?=
export KVER KDIR

all: modules userspace

setup:
	@$(TOP)/tools/setup.sh

modules: setup
	$(MAKE) -C kernel KDIR=$(KDIR) modules

sparse: setup
	$(MAKE) -C kernel KDIR=$(KDIR) sparse

$(BUILD)/cmake/CMakeCache.txt:
	cmake -S $(TOP) -B $(BUILD)/cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DPython3_EXECUTABLE=$(PYTHON)

userspace: setup $(BUILD)/cmake/CMakeCache.txt
	cmake --build $(BUILD)/cmake -j $(JOBS)

vm-modules: modules
	$(TOP)/tools/vm/stage-modules.sh

check: modules userspace vm-modules
	cd $(BUILD)/cmake && ctest --output-on-failure --no-tests=error \
		--repeat until-pass:$(CTEST_TRIES) $(CTEST_ARGS)

lab: modules userspace vm-modules
	$(TOP)/tools/lab/lab.sh

lab-shell: modules userspace vm-modules
	$(TOP)/tools/lab/lab-shell.sh

bench: modules userspace vm-modules
	$(TOP)/tools/bench/bench.sh $(BENCH_ARGS)

checkpatch: setup
	$(TOP)/tools/checkpatch.sh

$(BUILD)/rel/mbx_fuzz: $(TOP)/tools/rel/mbx_fuzz.c
	mkdir -p $(BUILD)/rel
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

soak: modules userspace vm-modules $(BUILD)/rel/mbx_fuzz
	$(TOP)/tools/rel/soak.sh $(SOAK_WHAT)

fuzz: modules userspace vm-modules $(BUILD)/rel/mbx_fuzz
	$(TOP)/tools/rel/soak.sh fuzz

check-debug: modules userspace
	$(TOP)/tools/rel/check-debug.sh "$(CHECK_DEBUG_TESTS)"

clean:
	$(MAKE) -C kernel KDIR=$(KDIR) clean
	rm -rf $(BUILD)

.PHONY: all setup modules sparse userspace vm-modules check lab lab-shell bench \
	checkpatch clean soak fuzz check-debug
