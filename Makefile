# The harness: each target runs the scripts in scripts/ that it needs;
# every script is incremental, so running a target again redoes only
# what changed. "make help" lists the targets.

VARIANT ?= modules
S := scripts

.PHONY: help run check quick review bench profile fuzz shell kernel menuconfig tree \
	patches programs module clean

help:
	@echo "make run      build the kernel with the series, boot it in qemu,"
	@echo "              run tiny.com and *.♚ and show their exit statuses"
	@echo "make check    the whole test suite (every kernel), ends with the tally"
	@echo "make quick    scripts/check --quick: host checks and the modules kernel"
	@echo "              (what to run after each edit; FILTER=WORD runs only the"
	@echo "              guest tests whose name has WORD)"
	@echo "make review   the maintainer's checks: bisect builds, W=1, sparse, docs"
	@echo "make bench    exec cost by format, host figures, plot (build/bench)"
	@echo "make profile  where an exec's time goes in the kernel (ftrace; build/profile)"
	@echo "make fuzz     random execs on the debug kernel (CASES=N or SECONDS=S, SEED=S)"
	@echo "make shell    boot into a shell in the guest, with the programs in /progs"
	@echo "make kernel   configure and build the kernel only"
	@echo "make menuconfig  the kernel's menuconfig on the harness's build directory;"
	@echo "              your changes are kept in kconfig-fragment/local/"
	@echo "make patches  write the kernel tree's branch back to patches/"
	@echo "make programs the test programs, nasm and C (scripts/com-cc)"
	@echo "make module   binfmt_com.ko and binfmt_calm.ko out of tree, for the"
	@echo "              running kernel (or KDIR=its build directory)"
	@echo "make clean    remove the kernel build directories (not the tree)"
	@echo "VARIANT=modules (default) or builtin; KSRC=DIR uses your own kernel git tree;"
	@echo "KVER=6.1 uses Debian's 6.1 source instead of 6.12; ARCH=arm64 or riscv"
	@echo "cross-builds for that architecture and boots qemu's virt machine (run,"
	@echo "shell, quick and check: its modules kernel); JOBS=N make jobs"
	@echo "(default: all cores). qemu: QEMU_ACCEL=auto|kvm|tcg (default auto: KVM"
	@echo "only if a probe boots under it), QEMU_ARGS='-s -S' (e.g. for gdb), V=1"
	@echo "prints its command line."

tree:
	$(S)/deps
	$(S)/kernel-tree

kernel: tree
	$(S)/kernel-config $(VARIANT)
	$(S)/kernel-build $(VARIANT)

menuconfig: tree
	$(S)/kernel-config --menuconfig $(VARIANT)

programs: tree
	$(S)/test-programs

module:
	$(S)/oot-module $(if $(KDIR),--kdir $(KDIR))

run:
	$(S)/run $(VARIANT)

shell:
	$(S)/run --shell $(VARIANT)

check:
	$(S)/check

quick:
	$(S)/check --quick $(if $(FILTER),--filter $(FILTER))

review: tree
	$(S)/review

bench:
	$(S)/bench $(VARIANT)

profile:
	$(S)/profile

fuzz:
	$(S)/fuzz $(if $(CASES),--cases $(CASES)) $(if $(SECONDS),--seconds $(SECONDS)) \
		$(if $(SEED),--seed $(SEED))

patches:
	$(S)/export-patches

clean:
	rm -rf build/obj-* build/initramfs-* build/programs build/logs build/oot
