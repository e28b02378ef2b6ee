# The harness: each target runs the scripts in scripts/ that it needs;
# every script is incremental, so running a target again redoes only
# what changed. "make help" lists the targets.

VARIANT ?= modules
S := scripts

.PHONY: help run check shell kernel tree patches programs clean

help:
	@echo "make run      build the kernel with the series, boot it in qemu,"
	@echo "              run tiny.com and *.♚ and show their exit statuses"
	@echo "make check    the whole test suite (both variants), ends with the tally"
	@echo "make shell    boot into a shell in the guest, with the programs in /progs"
	@echo "make kernel   configure and build the kernel only"
	@echo "make patches  write the kernel tree's branch back to patches/"
	@echo "make clean    remove the kernel build directories (not the tree)"
	@echo "VARIANT=modules (default) or builtin; KSRC=DIR uses your own kernel git tree."

tree:
	$(S)/deps
	$(S)/kernel-tree

kernel: tree
	$(S)/kernel-config $(VARIANT)
	$(S)/kernel-build $(VARIANT)

programs:
	$(S)/test-programs

run:
	$(S)/run $(VARIANT)

shell:
	$(S)/run --shell $(VARIANT)

check:
	$(S)/check

patches:
	$(S)/export-patches

clean:
	rm -rf build/obj-* build/initramfs-* build/programs build/logs
