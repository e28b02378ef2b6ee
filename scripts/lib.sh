# shellcheck shell=bash
# Common helpers, sourced by the other scripts. Not run on its own.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$TOP/build}
# The tree the series is made on (its base), and the one to build.
SERIES_KVER=6.12
# Other Debian kernel sources the test suite applies the series to.
# shellcheck disable=SC2034 # used by the scripts that source this
PORT_KVERS="6.1"
KVER=${KVER:-$SERIES_KVER}
case " $SERIES_KVER $PORT_KVERS " in
*" $KVER "*) ;;
*) printf 'error: KVER=%s: only %s and %s are supported (Debian linux-source-VERSION)\n' \
	"$KVER" "$SERIES_KVER" "$PORT_KVERS" >&2; exit 1 ;;
esac
# arch_set ARCH: the architecture to build for and boot, as the kernel
# names it (ARCH): x86_64 (the default; x86 too), arm64 (aarch64) or
# riscv (riscv64). The others are cross-built with Debian's
# gcc-*-linux-gnu and boot on qemu's virt machine, under TCG. Their
# build products carry the name in theirs (obj-6.12-arm64-modules),
# x86-64's do not (KNAME).
# shellcheck disable=SC2034 # used by the scripts that source this
arch_set() {
	case "$1" in
	x86_64|x86)
		KARCH=x86_64 ARCH_NAME=x86_64 ARCH_SUFFIX='' CROSS=''
		KIMAGE=arch/x86/boot/bzImage QEMU=qemu-system-x86_64 ;;
	arm64|aarch64)
		KARCH=arm64 ARCH_NAME=arm64 ARCH_SUFFIX=-arm64 CROSS=aarch64-linux-gnu-
		KIMAGE=arch/arm64/boot/Image QEMU=qemu-system-aarch64 ;;
	riscv|riscv64)
		KARCH=riscv ARCH_NAME=riscv64 ARCH_SUFFIX=-riscv64 CROSS=riscv64-linux-gnu-
		KIMAGE=arch/riscv/boot/Image QEMU=qemu-system-riscv64 ;;
	*) printf 'error: ARCH=%s: the architectures are x86_64, arm64 and riscv\n' \
		"$1" >&2; exit 1 ;;
	esac
	KNAME=$KVER$ARCH_SUFFIX
}
# The architectures other than x86-64 the suite boots (ARCH/VARIANT).
# shellcheck disable=SC2034 # used by the scripts that source this
CROSS_ARCHES="arm64 riscv"
arch_set "${ARCH:-x86_64}"
# Parallel jobs for kernel builds (make -j): all cores unless told.
JOBS=${JOBS:-$(nproc)}
case "$JOBS" in
''|*[!0-9]*|0) printf 'error: JOBS=%s: give a positive number\n' "$JOBS" >&2; exit 1 ;;
esac
# One ccache for every build directory and every clone: paths under
# $BUILD are hashed relative to the directory a compiler runs in, so that
# a clone elsewhere, or the review's worktree laid out like the tree, gets
# hits for what another one compiled.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}
# The kernel tree: KSRC (a user's own git tree) or the one we make.
OWN_TREE=$BUILD/linux-$KVER
KTREE=${KSRC:-$OWN_TREE}
BRANCH_GIVEN=${BRANCH:-}
BRANCH=${BRANCH:-flat-com}
# Identity for commits the scripts make (baseline, git am); fixed so that
# the baseline commit is the same on every machine.
HARNESS_NAME="flat-com developers"
HARNESS_EMAIL="flat-com@example.org"
# The descriptors of the locks this script holds (lock), for kgit.
LOCK_FDS=

msg() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# usage_from_header FILE: print the comment block at the top of FILE.
usage() {
	sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"
}

# Handle --help for scripts that take no other options.
help_only() {
	case "${1:-}" in
	-h|--help) usage; exit 0 ;;
	"") ;;
	*) usage >&2; die "unknown option: $1" ;;
	esac
}

# variant_only ARGS...: the arguments of a script that takes --help or
# one VARIANT, and nothing else.
variant_only() {
	case "${1:-}" in
	-h|--help) usage; exit 0 ;;
	""|-*) usage >&2; die "which variant?" ;;
	esac
	[ $# = 1 ] || { usage >&2; die "one variant, not: $*"; }
}

# out_dir DIR SCRIPT: DIR becomes the output directory of scripts/SCRIPT
# (one it did not make is refused), held under its lock.
out_dir() {
	[ ! -e "$1" ] || [ -f "$1/.flat-com-$2" ] ||
		die "$1 exists and was not made by scripts/$2; move it away"
	mkdir -p "$1"
	lock "$2-$(basename "$1")"
	touch "$1/.flat-com-$2"
}

# counts ROUNDS EXECS: the --rounds and --execs of bench and profile are
# positive whole numbers.
counts() {
	local n
	for n in "$@"; do
		case "$n" in ''|*[!0-9]*|0) die "--rounds and --execs take positive numbers, not '$n'" ;; esac
	done
}

# own_group COMMAND...: exec COMMAND as the leader of a process group of
# its own, whose id is its pid: after "own_group CMD &", $! names the
# group, for kill -- -$!. Not setsid(1), which forks when its caller
# leads a group (under job control), so that $! would be a parent gone
# at once. SIGINT is restored, which a command started with & ignores.
# With OWN_GROUP_STATUS=FILE, the leader is a perl that runs COMMAND in
# that group and writes its exit status (128 + the signal for a signal)
# to FILE: see job_status.
own_group() {
	# shellcheck disable=SC2016 # perl's variables
	exec perl -e 'setpgrp(0, 0) or die "setpgrp: $!"; $SIG{INT} = "DEFAULT";
		my $out = $ENV{OWN_GROUP_STATUS};
		exec @ARGV or die "$ARGV[0]: $!" unless $out;
		$SIG{INT} = $SIG{TERM} = "IGNORE";
		my $pid = fork // die "fork: $!";
		if (!$pid) { $SIG{INT} = $SIG{TERM} = "DEFAULT"; exec @ARGV or die "$ARGV[0]: $!"; }
		waitpid($pid, 0);
		my $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8;
		open(my $f, ">", "$out.tmp") or die "$out: $!";
		print $f "$rc\n";
		close($f) and rename("$out.tmp", $out) or die "$out: $!";
		exit $rc;' -- "$@"
}

# job_status PID FILE: once the background job PID has ended, set
# job_rc to the exit status it wrote to FILE ("none" if it wrote none).
# Not wait's: bash forgets a job's status when a later child of the
# shell gets the same PID, and a kernel build forks more processes than
# the default kernel.pid_max (32768) while a guest or sphinx runs beside
# it. Not in $(...) either, whose subshell cannot wait for the job.
job_status() {
	wait "$1" 2>/dev/null || true
	# shellcheck disable=SC2034 # the caller's to read
	job_rc=$(cat "$2" 2>/dev/null || echo none)
}

# variant_check VARIANT: VARIANT is a kernel configuration of the
# harness (a fragment of kconfig-fragment/ that is not a part of others).
variant_check() {
	case "$1" in
	base|arch-*|[0-9]*|*/*) die "$1 is not a variant: try modules, builtin or debug" ;;
	esac
	[ -f "$TOP/kconfig-fragment/$1.config" ] ||
		die "no variant $1 (kconfig-fragment/$1.config): try modules, builtin or debug"
}

# console_clean LOG: no report of the kernel's own checkers on the
# console (printed, with what follows each, if there is one).
console_clean() {
	! grep -E -A20 'BUG:|WARNING:|UBSAN:|KASAN|possible circular locking|inconsistent lock state|possible recursive locking|lock held when returning|unreferenced object' "$1"
}

# obj_dir VARIANT: the O= directory of a kernel configuration.
obj_dir() { echo "$BUILD/obj-$KNAME-$1"; }

# native: the architecture is the host's (x86-64), where busybox, nasm,
# the kselftest and KVM are; the others run the main job only so far.
native() { [ "$KARCH" = x86_64 ]; }

# kmake ARGS...: make in the kernel tree for this architecture, through
# ccache when there is one.
kmake() {
	local cc=${CROSS}gcc
	command -v ccache >/dev/null && cc="ccache $cc"
	make -C "$KTREE" ARCH="$KARCH" CROSS_COMPILE="$CROSS" CC="$cc" "$@"
}

# guest_prepare VARIANT: bring everything a boot of VARIANT needs up to
# date: packages, kernel tree, configuration, kernel, test programs,
# kselftest and initramfs. Each step is incremental.
guest_prepare() {
	"$TOP/scripts/deps"
	"$TOP/scripts/kernel-tree"
	"$TOP/scripts/kernel-config" "$1"
	"$TOP/scripts/kernel-build" "$1"
	"$TOP/scripts/test-programs"
	"$TOP/scripts/kselftest"
	"$TOP/scripts/initramfs" "$1"
}

# guest_figures MODE VARIANT ROUNDS EXECS: boot VARIANT's kernel in MODE
# (bench or profile) for ROUNDS rounds of EXECS execs of each program,
# and print the path of its console log, which has the figures.
guest_figures() {
	local log=$BUILD/logs/$KNAME-$2-$1.log
	msg "in the guest: $3 rounds of $4 execs of each program ($1)"
	"$TOP/scripts/boot" --mode "$1" --timeout 3000 \
		--param "flatcom.rounds=$3" --param "flatcom.execs=$4" \
		"$2" > /dev/null 2>&1 ||
		die "the guest's $1 run did not finish: see $log"
	echo "$log"
}

# guest_clock LOG: the clocksource a bench or profile guest timed with, as
# its console says: "tsc-early", or "tsc-early then refined-jiffies"
# when the kernel changed it during the run. Warns when it is jiffies.
guest_clock() {
	local start end clock
	start=$(sed -n 's/^guest clocksource: //p' "$1")
	end=$(sed -n 's/^guest clocksource at the end: //p' "$1")
	clock=${start:-unknown}
	[ -z "$end" ] || [ "$end" = "$start" ] || clock="$clock then $end"
	case "$clock" in
	*jiffies*) warn "the guest kept time with $clock: figures are in whole ticks (4 ms)" ;;
	esac
	echo "$clock"
}

# Patches of the series, in quilt order, without the cover letter.
series_patches() {
	grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/patches/series"
}

# cover_letter: the cover letter in patches/.
cover_letter() { echo "$TOP/patches/0000-cover-letter.patch"; }

# series_version: the version of the series, N of the cover letter's
# "[PATCH vN ...]" in patches/; nothing for a first version.
series_version() {
	sed -n 's/^Subject: \[PATCH v\([0-9]*\) .*/\1/p' \
		"$(cover_letter)" 2>/dev/null || true
}

# series_patch P: the file of the series' patch P for the tree of
# $KVER: its backport, patches/$KVER/P, where the series' base needs
# one (a patch that does not apply there even with git am --3way, as
# the stable trees take them), else patches/P.
series_patch() {
	if [ "$KVER" != "$SERIES_KVER" ] && [ -f "$TOP/patches/$KVER/$1" ]; then
		echo "$TOP/patches/$KVER/$1"
	else
		echo "$TOP/patches/$1"
	fi
}

# backports [KVER]: the backports in patches/KVER/ (of every version
# without KVER), a path under patches/ a line.
backports() {
	local f
	(cd "$TOP/patches" && for f in */[0-9]*.patch; do
		[ -f "$f" ] || continue
		[ -z "${1:-}" ] || [ "${f%%/*}" = "$1" ] || continue
		echo "$f"
	done)
}

# A hash of the series as it is in patches/ now, for the tree of $KVER.
series_hash() {
	local files
	mapfile -t files < <(series_patches)
	(cd "$TOP/patches" && cat series "${files[@]}"
	 [ "$KVER" = "$SERIES_KVER" ] || backports "$KVER" | while read -r f; do cat "$f"; done) |
		sha256sum | cut -c1-16
}

# series_c BASE HEAD: the kernel's C files the series changes between
# BASE and HEAD in the kernel tree (not those of tools/).
series_c() { kgit diff --name-only "$1" "$2" -- '*.c' | grep -v '^tools/' || true; }

# series_object F: the object kbuild compiles the series' C file F into;
# the KUnit tests are #included by the loader they test.
series_object() {
	case "$1" in
	fs/tests/binfmt_flat_com_kunit.c) echo fs/binfmt_flat_com.o ;;
	*) echo "${1%.c}.o" ;;
	esac
}

# builds TREE OBJ O: the configuration in OBJ builds the object O of the
# source TREE: the Makefile line that lists O, continued lines joined,
# assigns to a list-y (obj-y, or mm's mmu-y that obj-y takes) or to a
# list-$(CONFIG_X) with X set. A stale O of another configuration may
# be there too.
builds() {
	local lhs sym o=$3
	lhs=$(awk -v o="${o##*/}" '
		{ line = line " " $0 }
		/\\$/ { sub(/\\$/, "", line); next }
		{
			n = split(line, w, /[ \t:+]*=[ \t]*|[ \t]+/)
			for (i = 2; i <= n; i++)
				if (w[i] == o) { print w[1] == "" ? w[2] : w[1]; exit }
			line = ""
		}' "$1/${o%/*}/Makefile")
	case "$lhs" in
	*-y) return 0 ;;
	*-\$\(CONFIG_*\)) sym=${lhs#*-\$(CONFIG_}; sym=${sym%)} ;;
	*) return 1 ;;
	esac
	grep -Eq "^CONFIG_$sym=[ym]$" "$2/.config"
}

# git in the kernel tree, with an identity if the tree has none, and
# without the descriptors of our locks: a "git gc --auto" that git
# leaves running in the background must not hold them.
kgit() {
	local git=(git -C "$KTREE")
	git -C "$KTREE" config user.email >/dev/null 2>&1 ||
		git+=(-c user.name="$HARNESS_NAME" -c user.email="$HARNESS_EMAIL")
	# shellcheck disable=SC2086 # the descriptors are numbers
	without_fds $LOCK_FDS -- "${git[@]}" "$@"
}

# without_fds FD... -- COMMAND...: run COMMAND with those descriptors closed.
without_fds() {
	local fd=$1
	shift
	if [ "$fd" = -- ]; then
		"$@"
	else
		without_fds "$@" {fd}>&-
	fi
}

# cover_recipients: the To: and Cc: addresses of the series' cover
# letter, one a line, as "to ADDRESS" or "cc ADDRESS".
cover_recipients() {
	local hdr cover
	cover=$(cover_letter)
	[ -f "$cover" ] || return 0
	for hdr in To Cc; do
		awk -v h="$hdr:" '
			/^$/ { exit }
			$1 == h { on = 1; sub(/^[^ ]+ /, ""); print; next }
			on && /^[ \t]/ { print; next }
			{ on = 0 }
		' "$cover" | tr ',' '\n' | sed 's/^[[:space:]]*//;/^$/d' |
		sed "s/^/${hdr,,} /"
	done
}

# git_dir: the kernel tree's git directory (a worktree's own).
git_dir() { git -C "$KTREE" rev-parse --absolute-git-dir; }

# The tree is ours to manage only when it carries our stamp, in its git
# directory (that of the worktree, when KSRC is a worktree).
stamp_file() {
	local d
	d=$(git -C "$KTREE" rev-parse --absolute-git-dir 2>/dev/null) || d=$KTREE/.git
	echo "$d/flat-com.stamp"
}

stamp_get() {
	local f
	f=$(stamp_file)
	[ -f "$f" ] || return 0
	sed -n "s/^$1=//p" "$f"
}

# stamp_set KEY [VALUE]: set KEY, or remove it when no VALUE is given.
stamp_set() {
	local f key=$1
	f=$(stamp_file)
	touch "$f"
	grep -v "^$key=" "$f" > "$f.new.$$" || true
	[ $# -lt 2 ] || echo "$key=$2" >> "$f.new.$$"
	mv "$f.new.$$" "$f"
}

# tree_branch: the branch the series lives on in the tree: the one the
# stamp names (a tree stamped before branches were recorded: flat-com);
# $BRANCH only for a tree not stamped yet.
tree_branch() {
	local b
	b=$(stamp_get branch)
	if [ -z "$b" ] && [ "$(stamp_get owner)" = flat-com ]; then
		b=flat-com
	fi
	if [ -n "$b" ]; then
		[ -z "$BRANCH_GIVEN" ] || [ "$BRANCH_GIVEN" = "$b" ] ||
			die "the series lives on branch $b of $KTREE, not BRANCH=$BRANCH_GIVEN; unset BRANCH"
		echo "$b"
	else
		echo "$BRANCH"
	fi
}

# lock NAME: hold the lock NAME (a file in $BUILD/locks) until this
# script exits, waiting while another command holds it. Two commands at
# once then take turns on the state they share, instead of mixing it.
lock() {
	local fd
	# A command run by one that holds NAME works under that hold (the
	# descriptor is inherited) and must not wait for it.
	case " ${LOCKS_HELD-} " in *" $1 "*) return 0 ;; esac
	mkdir -p "$BUILD/locks"
	exec {fd}>"$BUILD/locks/$1"
	LOCK_FDS="$LOCK_FDS $fd"
	if ! flock -n "$fd"; then
		msg "waiting for another command that holds $1 ($BUILD/locks/$1)"
		flock "$fd"
	fi
	export LOCKS_HELD="${LOCKS_HELD-} $1"
}

# path_sub FROM TO: a sed command that changes the path FROM to TO
# where it is a whole path or a path's first part.
path_sub() {
	local re rep
	re=$(printf '%s' "$1" | sed 's/[].[*^$#\\]/\\&/g')
	rep=$(printf '%s' "$2" | sed 's/[\\&#]/\\&/g')
	printf 's#%s\\([/" :'"'"']\\|$\\)#%s\\1#g' "$re" "$rep"
}

# obj_copy FROM TO AS [TREE]: TO becomes a copy of the build directory
# FROM, to be moved to AS: FROM's path in kbuild's records becomes AS
# (and the kernel tree's TREE, if given: a build of another worktree).
obj_copy() {
	local from=$1 to=$2 as=$3 tree=${4:-$KTREE}
	cp -a "$from" "$to"
	rm -rf "$to/.kconfig-scratch"
	grep -rlIZF -e "$KTREE" -e "$from" "$to" |
		xargs -0 -r sed -i "$(path_sub "$KTREE" "$tree"); $(path_sub "$from" "$as")"
	ln -sfn "$tree" "$to/source"
}

# seed_build OBJ: the first build of a variant in OBJ (configured by
# scripts/kernel-config, never built) starts from a copy of the build of
# another variant of the same tree and architecture, the one whose
# configuration is nearest, if they differ in at most 20 options (as
# builtin and modules do: the formats and the KUnit tests). kbuild then
# compiles only what depends on the options that differ, where ccache
# would still preprocess every file. OBJ keeps its own .config (made
# newer than the copy's, so that kbuild reads it) and the records of
# scripts/kernel-config. A copy that another command is building is
# not taken; one that was interrupted is undone by the next run.
seed_build() {
	local obj=$1 best='' bestn=21 d n fd f
	if [ -d "$obj.unseeded" ]; then
		[ -d "$obj" ] || mv "$obj.unseeded" "$obj"
		rm -rf "$obj.unseeded"
	fi
	rm -rf "$obj.seed"
	[ ! -f "$obj/vmlinux" ] || return 0
	for d in "$BUILD/obj-$KNAME"-*; do
		if [ "$d" = "$obj" ] || [ ! -f "$d/vmlinux" ] || [ ! -f "$d/.config" ]; then
			continue
		fi
		n=$(diff <(grep '^CONFIG_' "$d/.config" | sort) \
			<(grep '^CONFIG_' "$obj/.config" | sort) | grep -c '^[<>]') || true
		if [ "$n" -lt "$bestn" ]; then
			best=$d bestn=$n
		fi
	done
	[ -n "$best" ] || return 0
	mkdir -p "$BUILD/locks"
	exec {fd}>"$BUILD/locks/${best##*/}"
	if ! flock -n "$fd"; then
		exec {fd}>&-
		return 0
	fi
	msg "starting from a copy of ${best##*/}, whose .config differs in $bestn lines"
	obj_copy "$best" "$obj.seed" "$obj"
	exec {fd}>&-
	for f in .config .flat-com-config .flat-com-inputs .flat-com-obj; do
		rm -f "$obj.seed/$f"
		[ ! -f "$obj/$f" ] || cp -p "$obj/$f" "$obj.seed/$f"
	done
	touch "$obj.seed/.config"
	mv "$obj" "$obj.unseeded"
	mv "$obj.seed" "$obj"
	rm -rf "$obj.unseeded"
}

# kbuild_stamps: fixed build stamps, so that the same sources make the
# same init/version.o and bzImage, whichever build this is (ccache hits,
# and the replays of scripts/check, depend on it).
kbuild_stamps() {
	export KBUILD_BUILD_TIMESTAMP='2000-01-01' KBUILD_BUILD_USER=flat-com \
		KBUILD_BUILD_HOST=qemu KBUILD_BUILD_VERSION=1
}

# README.md sections made by a script sit between a line "<!-- NAME: made
# by ... -->" and "<!-- end of NAME -->" (BEGIN and END below); so do
# those of bench/README.md.
# readme_section BEGIN END [FILE]: print what FILE (README.md) has there.
readme_section() {
	local f=${3:-$TOP/README.md}
	grep -qxF "$1" "$f" || die "$f has no line: $1"
	awk -v b="$1" -v e="$2" '$0 == e { on = 0 } on { print } $0 == b { on = 1 }' "$f"
}

# readme_section_set BEGIN END NEW [FILE]: put NEW's text there instead.
readme_section_set() {
	local f=${4:-$TOP/README.md}
	grep -qxF "$1" "$f" || die "$f has no line: $1"
	awk -v b="$1" -v e="$2" -v t="$3" '
		$0 == e { on = 0 }
		!on { print }
		$0 == b { on = 1; while ((getline l < t) > 0) print l }
	' "$f" > "$f.new.$$"
	mv "$f.new.$$" "$f"
}
