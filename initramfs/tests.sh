#!/bin/sh
# The in-guest test suite, run by /init in /progs: sh /tests.sh [WORD].
# Prints TAP (/tap.sh: a plan at the end) and, last, "N passed, N failed,
# N skipped"; exits 0 only if nothing failed. With WORD, only the tests
# whose description has WORD in it run (kselftest cases by their name).
#
# Programs are started with xexec (a bare execve) wherever the kernel's
# answer matters: a shell would run a file that fails with ENOEXEC as a
# shell script instead.

# shellcheck source=scripts/tap.sh
. /tap.sh
tmp=/tmp/tests
mkdir -p "$tmp"
# With a filter (scripts/check --filter WORD: flatcom.filter=WORD), only
# the checks whose description has WORD in it run.
filter=${1:-}

# wanted DESCRIPTION: the filter lets it run.
wanted() {
	case "$1" in *"$filter"*) return 0 ;; esac
	return 1
}

ok() { if wanted "$*"; then tap_ok "$@"; fi; }
not_ok() { if wanted "$*"; then tap_not_ok "$@"; fi; }
skip() { if wanted "$*"; then tap_skip "$@"; fi; }

# check DESCRIPTION COMMAND...: one test, passing if COMMAND succeeds.
check() {
	desc=$1
	shift
	wanted "$desc" || return 0
	if "$@"; then tap_ok "$desc"; else tap_not_ok "$desc"; fi
}

# exits WANT PROGRAM [ARG...]: PROGRAM exits with status WANT.
exits() {
	status=$1
	shift
	xexec "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	got=$?
	[ "$got" = "$status" ] && return 0
	echo "# $*: exit status $got, want $status; stderr: $(cat "$tmp/err")"
	return 1
}

# prints WANT PROGRAM [ARG...]: PROGRAM exits 0 and prints exactly WANT.
prints() {
	want=$1
	shift
	exits 0 "$@" || return 1
	printf '%s\n' "$want" > "$tmp/want"
	cmp -s "$tmp/want" "$tmp/out" && return 0
	echo "# $*: printed:"
	sed 's/^/#   /' "$tmp/out"
	return 1
}

# refused PROGRAM: execve fails with "Exec format error".
refused() {
	xexec "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	grep -q 'Exec format error' "$tmp/err" && return 0
	echo "# $*: not refused: $(cat "$tmp/err")"
	return 1
}

tap_begin
[ -z "$filter" ] || echo "# only the checks with '$filter' in their name"
# kmemleak, in a debug kernel: forget what boot left, scan at the end.
kmemleak=/sys/kernel/debug/kmemleak
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -w "$kmemleak" ] && echo clear > "$kmemleak"
if grep -q '^binfmt_com ' /proc/modules; then
	kind=modules
else
	kind=built-in
fi
echo "# formats: $kind"
[ -z "${BINFMT_COM_STORM_EXECS:-}" ] ||
	echo "# the kselftest's storm: $BINFMT_COM_STORM_EXECS execs (flatcom.storm)"

# The checks every architecture runs (initramfs/checks.c), relayed.
flatcom-checks "$filter" > "$tmp/checks" 2>&1
tap_relay "" < "$tmp/checks"
grep -q '^1\.\.[0-9]' "$tmp/checks" || not_ok "flatcom-checks ran to its end"
check "tiny.com run by the shell exits 42" sh -c './tiny.com; [ $? = 42 ]'

# Formats registered before ours come first.
cp /bin/busybox "$tmp/busybox.com"
check "a .com that is ELF runs as ELF" prints elf "$tmp/busybox.com" echo elf
printf '#!/bin/sh\necho script\n' > "$tmp/script.com"
chmod 755 "$tmp/script.com"
check "a .com that is a #! script runs as a script" prints script "$tmp/script.com"

# Where binfmt_script and binfmt_misc are modules too (the debug kernel),
# neither loading them after the formats nor before lets com run what
# they take: register_binfmt() appends, so the order is the load order.
misc=/proc/sys/fs/binfmt_misc
printf 'MZ=42\nexit 42\n' > "$tmp/mz.com"
chmod 755 "$tmp/mz.com"
misc_off() {
	[ ! -e "$misc/flatcom-mz" ] || echo -1 > "$misc/flatcom-mz"
	! grep -q " $misc " /proc/mounts || umount "$misc"
}
# formats_in MODULE...: the four formats loaded in this order, and a
# binfmt_misc entry that runs a file starting with MZ with /bin/sh.
formats_in() {
	misc_off
	rmmod binfmt_calm binfmt_com binfmt_script binfmt_misc 2> /dev/null
	for m in "$@"; do
		insmod "/lib/modules/$m.ko" || return 1
	done
	mount -t binfmt_misc none "$misc" &&
		echo ':flatcom-mz:M::MZ::/bin/sh:' > "$misc/register"
}
both_exit_42() { exits 42 ./tiny.com && exits 42 './*.♚'; }
if ! grep -q '^binfmt_script ' /proc/modules; then
	skip "order of formats: binfmt_script is built in here (the debug kernel has it as a module)"
elif wanted "order of formats"; then
	for order in "binfmt_com binfmt_calm binfmt_script binfmt_misc" \
		"binfmt_script binfmt_misc binfmt_com binfmt_calm"; do
		case "$order" in binfmt_com*) when="after" ;; *) when="before" ;; esac
		# shellcheck disable=SC2086 # one word per module
		check "order of formats: binfmt_script and binfmt_misc loaded $when com and calm" \
			formats_in $order
		check "order of formats, $when: a #! script named .com runs as a script" \
			prints script "$tmp/script.com"
		check "order of formats, $when: a .com that binfmt_misc takes runs its interpreter" \
			exits 42 "$tmp/mz.com"
		check "order of formats, $when: tiny.com and *.♚ exit 42" both_exit_42
	done
	misc_off
	rmmod binfmt_script binfmt_misc
	check "order of formats, script not loaded: a #! script named .com is refused, not run as code" \
		refused "$tmp/script.com"
	check "order of formats: binfmt_script and binfmt_misc load again" formats_in \
		binfmt_com binfmt_calm binfmt_misc binfmt_script
	misc_off
fi

# The fuzzer, where the kernel's checkers watch (the debug kernel, the
# one with kmemleak): 200 cases, under a seed it prints, or what
# scripts/fuzz asks for (FLATCOM_FUZZ_ARGS, from init).
if [ ! -w "$kmemleak" ]; then
	skip "fuzz: random execs of com and calm files" "on the debug kernel, under its checkers"
elif wanted "fuzz"; then
	# shellcheck disable=SC2086 # options and their values, one word each
	flatcom-fuzz ${FLATCOM_FUZZ_ARGS:---cases 200} > "$tmp/fuzz" 2>&1
	tap_relay "" < "$tmp/fuzz"
	grep -q '^1\.\.1$' "$tmp/fuzz" || not_ok "fuzz: flatcom-fuzz ran to its end"
fi

# Concurrency, where the formats are modules under the kernel's checkers
# (the debug kernel) and there are CPUs to race on: execs of both formats
# on each CPU while the modules are removed and inserted again, for 10 s
# (flatcom.race=S). scripts/check boots the debug kernel on two CPUs.
cpus=$(grep -c '^processor' /proc/cpuinfo)
if [ ! -w "$kmemleak" ] || [ "$kind" != modules ]; then
	skip "race: execs on every CPU while the modules come and go" "on the debug kernel, under its checkers"
elif [ "$cpus" -lt 2 ]; then
	skip "race: execs on every CPU while the modules come and go" "one CPU here: scripts/boot --cpus 2 debug (as scripts/check boots it)"
elif wanted "race"; then
	flatcom-race --seconds "${FLATCOM_RACE_SECONDS:-10}" > "$tmp/race" 2>&1
	tap_relay "" < "$tmp/race"
	grep -q '^1\.\.[0-9]' "$tmp/race" || not_ok "race: flatcom-race ran to its end"
fi

# Whatever the filter: a leak is the run's, not one test's.
if [ ! -w "$kmemleak" ]; then
	skip "kmemleak: not in this kernel"
else
	# Leaks show only after two scans, and objects younger than five
	# seconds are not reported.
	sleep 6
	echo scan > "$kmemleak"
	echo scan > "$kmemleak"
	cat "$kmemleak" > "$tmp/leaks"
	if [ -s "$tmp/leaks" ]; then
		tap_not_ok "kmemleak finds nothing after the tests"
	else
		tap_ok "kmemleak finds nothing after the tests"
	fi
	sed 's/^/# /' "$tmp/leaks" | head -40
fi

tap_end
