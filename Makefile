# SPDX-License-Identifier: GPL-2.0
#
# binfmt_trace: build the module and the bft tool, run the tests, the demo.
#
#   make                 bft, and the module for KDIR (default: the running
#                        kernel's headers; without them, only bft and a
#                        note on how to build the module)
#   make KVER=6.1        module for one of the two VM kernels (6.1, 6.12)
#   make setup           install packages, fetch kernels (idempotent)
#                        [KERNELS="6.1 6.12"]; KERNELS=6.12-rt fetches
#                        Debian's PREEMPT_RT 6.12 (opt-in)
#   make check           every test on both kernels; ends "N passed, N failed"
#   make check-debug     the in-guest suite and 1,000 stress cases on a 6.12
#                        built here with KASAN, KFENCE, lockdep, kmemleak,
#                        UBSAN (the first run builds it, ~40 min on 2
#                        cores; then cached)
#   make demo            boot the 6.12 VM and show what the module does
#   make bench [KVER=6.1] the scoreboard: cost per fault and exec against
#                         ftrace, both kernels, -icount; bench/results.md
#   make vm [KVER=6.1]   interactive shell in the VM, module loaded
#   make install         bft, its man page and bash completion under PREFIX
#                        (/usr/local), and the module if KDIR is known
#   make dkms-install    the module's sources to /usr/src, then dkms add,
#                        build and install for the running kernel
#   make deb             binfmt-trace-dkms and bft .deb files in build/deb/
#   make fuzz [RUNS=10000000]  libFuzzer (ASan, UBSan) on elf_check.c and
#                        bft's parsers of wrapped files
#   make flake [N=200]   boot both kernels N times, arming and disarming the
#                        probes under faults; count kernel complaints
#   make stress [N=50000] exec fuzzing in the VM: N mutated executables per
#                        kernel, each run plain, marked and wrapped, compared
#   make clean

TOP	:= $(CURDIR)
export BFT_CACHE ?= $(TOP)/.cache
RUNNING	:= /lib/modules/$(shell uname -r)/build

# Never a kernel that was not named: KVER= picks a VM kernel, KDIR= any
# tree, and by default the running kernel's headers, if installed.
ifneq ($(KVER),)
KDIR	:= $(BFT_CACHE)/kernels/$(KVER)/build
else ifneq ($(wildcard $(RUNNING)/Makefile),)
KDIR	?= $(RUNNING)
endif
NO_KDIR_NOTE := no kernel headers for the running kernel $(shell uname -r):\
	install them (apt-get install linux-headers-$(shell uname -r)), or\
	build for other headers with KDIR=/path/to/build, or for a VM kernel\
	with KVER=6.1 or KVER=6.12 after make setup

# Each kernel gets its own build directory, filled with links to the
# sources, so the objects of one kernel never meet another's.
MODSRC	:= Kbuild $(wildcard $(TOP)/*.c $(TOP)/*.h)
BUILD	:= $(TOP)/build/$(or $(KVER),local)

.PHONY: all module bft setup check check-debug demo bench vm flake clean \
	install dkms-install deb fuzz stress

all: bft
ifneq ($(KDIR),)
all: module
else
all:
	@echo "make: built bft only; $(NO_KDIR_NOTE)" >&2
endif

module:
	@test -n "$(KDIR)" || { echo "make: $(NO_KDIR_NOTE)" >&2; exit 1; }
	@test -f $(KDIR)/Makefile || { echo "no kernel headers at $(KDIR):" \
		"install them, pass KDIR=, or run 'make setup' and use KVER=6.12" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@cd $(BUILD) && for f in $(MODSRC); do ln -sf $(TOP)/$$(basename $$f) .; done
	$(MAKE) -C $(KDIR) M=$(BUILD) $(if $(W),W=$(W)) $(if $(C),C=$(C)) modules
	@echo "built $(BUILD)/binfmt_trace.ko"

bft:
	$(MAKE) -C bft

setup:
	@bash scripts/setup.sh $(KERNELS)

check: setup
	@bash scripts/check.sh

check-debug: setup
	@bash scripts/check-debug.sh

demo: setup
	@bash qemu/run --kver 6.12 --mode demo

bench: setup
	@bash scripts/bench.sh $(KVER)

vm: setup
	@bash qemu/run --kver $(or $(KVER),6.12) --mode shell

PREFIX	?= /usr/local
RELEASE	:= $(shell sed -n 's/^\#define BFT_RELEASE[[:space:]]*"\(.*\)"$$/\1/p' bft_format.h)
DKMS_SRC := $(DESTDIR)/usr/src/binfmt-trace-$(RELEASE)

install: bft
	install -D -m 755 bft/bft $(DESTDIR)$(PREFIX)/bin/bft
	install -D -m 644 bft/bft.1 $(DESTDIR)$(PREFIX)/share/man/man1/bft.1
	install -D -m 644 bft/bft.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/bft
ifneq ($(KDIR),)
	$(MAKE) module
	$(MAKE) -C $(KDIR) M=$(BUILD) modules_install
	depmod -a $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
else
	@echo "make install: module not installed; $(NO_KDIR_NOTE)" >&2
endif

dkms-install: install
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	install -m 644 Kbuild dkms.conf $(wildcard *.c *.h) $(DKMS_SRC)/
	dkms add -m binfmt-trace -v $(RELEASE)
	dkms build -m binfmt-trace -v $(RELEASE)
	dkms install -m binfmt-trace -v $(RELEASE)

deb:
	@bash scripts/deb.sh

fuzz: setup
	@bash scripts/fuzz.sh $(or $(RUNS),10000000)

flake: setup
	@bash scripts/flake.sh $(or $(N),200)

stress: setup
	@bash scripts/stress.sh $(or $(N),50000)

clean:
	rm -rf build
	-$(MAKE) -C bft clean
