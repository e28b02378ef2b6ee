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

# size_is NAME BYTES
size_is() {
	got=$(wc -c < "$1")
	[ "$got" = "$2" ] && return 0
	echo "# $1 is $got bytes, want $2"
	return 1
}

# copies PROGRAM WANT_STATUS: PROGRAM copies a 300 KiB stdin to stdout.
copies() {
	"$1" < "$tmp/data" > "$tmp/copy" 2> "$tmp/err"
	got=$?
	[ "$got" = "$2" ] || { echo "# $1: exit status $got, want $2"; return 1; }
	cmp "$tmp/data" "$tmp/copy" || return 1
	xexec "$1" < /dev/null > "$tmp/copy"
	[ ! -s "$tmp/copy" ]
}

# layout [PREFIX...]: "BRK SP", brk(0) and rsp at entry of layout.com.
layout() {
	"$@" xexec ./layout.com |
		sed -n 's/^brk=\([0-9a-f]*\) sp=\([0-9a-f]*\)$/\1 \2/p'
}

# Under ADDR_NO_RANDOMIZE the heap starts at the end of the image's page
# and both runs agree; the stack is 16-byte aligned.
fixed_layout() {
	a=$(layout linux64 -R)
	b=$(layout linux64 -R)
	if [ "${a% *}" = 0000000000011000 ] && [ "$a" = "$b" ]; then
		case "${a#* }" in *0) return 0 ;; esac
	fi
	echo "# without randomization: '$a', then '$b'"
	return 1
}

# Randomized, heap and stack differ between two runs, and the heap is
# still above the image.
random_layout() {
	a=$(layout)
	b=$(layout)
	if [ -n "$a" ] && [ -n "$b" ] && [ "${a% *}" != "${b% *}" ] &&
		[ "${a#* }" != "${b#* }" ] &&
		[ $((0x${a% *})) -ge $((0x11000)) ] &&
		[ $((0x${b% *})) -ge $((0x11000)) ]; then
		return 0
	fi
	echo "# randomized: '$a', then '$b'"
	return 1
}

# A refusal for vm.mmap_min_addr is logged with its cause first: a long
# file name of unprintable bytes (escaped, four bytes each) must not
# push "see vm.mmap_min_addr" out of the kernel's 1 KiB log record.
mmap_min_addr_logged() {
	d=$tmp/$(printf '%0200d' 0)
	name=$(printf '\001%.0s' $(seq 250)).com
	mkdir -p "$d" && cp tiny.com "$d/$name" || return 1
	old=$(cat /proc/sys/vm/mmap_min_addr)
	echo 131072 > /proc/sys/vm/mmap_min_addr
	xexec "$d/$name" 2> /dev/null &
	pid=$!
	wait $pid
	echo "$old" > /proc/sys/vm/mmap_min_addr
	rm -r "$d"
	line=$(dmesg | grep 'binfmt_flat_com: ' | tail -n 1)
	case "$line" in
	*"not allowed, see vm.mmap_min_addr (pid $pid, "*) return 0 ;;
	esac
	echo "# the last line of binfmt_flat_com (caller's pid $pid): $line"
	return 1
}

# The kselftest mounts only in a mount namespace of its own.
mounts_unchanged() {
	cmp -s "$tmp/mounts.before" /proc/mounts && return 0
	echo "# /proc/mounts before and after the kselftest:"
	diff "$tmp/mounts.before" /proc/mounts | sed 's/^/#   /'
	return 1
}

# The kselftest works in a tmpfs of its own: a noexec, nosuid /tmp (in a
# mount namespace of this check's) neither fails nor skips its cases.
# Two cases that need an executable /tmp and a suid one (6.1's harness
# has no -t and runs them all: its storm is then kept short).
kselftest_noexec_tmp() {
	BINFMT_COM_STORM_EXECS=4 unshare -m sh -c '
		mount -t tmpfs -o noexec,nosuid none /tmp &&
		exec binfmt_com_test -t com_entry_state -t setuid' \
		> "$tmp/kselftest-noexec" 2>&1
	status=$?
	if [ "$status" = 0 ] && ! grep -q '^not ok' "$tmp/kselftest-noexec" &&
		grep -q '^ok [0-9]* dir.com_entry_state$' "$tmp/kselftest-noexec" &&
		grep -q '^ok [0-9]* dir.setuid$' "$tmp/kselftest-noexec"; then
		return 0
	fi
	echo "# the kselftest under a noexec, nosuid /tmp exited $status:"
	sed 's/^/#   /' "$tmp/kselftest-noexec"
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

# The size of every program is part of the product.
while read -r src _ name size; do
	case "$src" in ''|'#'*) continue ;; esac
	check "$name is $size bytes" size_is "$name" "$size"
done < programs.list

check "tiny.com exits 42" exits 42 ./tiny.com
check "*.♚ (empty) exits 42" exits 42 './*.♚'
check "push42.♚ exits 42" exits 42 ./push42.♚
check "tiny.com run by the shell exits 42" sh -c './tiny.com; [ $? = 42 ]'
check "heap at 0x11000 and fixed stack under linux64 -R" fixed_layout
check "heap and stack randomized otherwise" random_layout
check "hello.com prints hello, world" prints "hello, world" ./hello.com
check "echo.com prints its arguments" prints "one two three  four" \
	./echo.com one "two three" "" four
check "echo.com with no arguments prints a newline" prints "" ./echo.com
check "env.com prints its environment" sh -c \
	'env -i A=1 "B=two words" xexec ./env.com > /tmp/tests/out &&
	 printf "A=1\nB=two words\n" | cmp -s - /tmp/tests/out'

# 300 KiB: more than cat's 64 KiB chunk, so the heap must grow.
i=0
: > "$tmp/data"
while [ $i -lt 3 ]; do
	head -c 102400 /bin/busybox >> "$tmp/data"
	i=$((i + 1))
done
check "cat.com copies 300 KiB through the heap" copies ./cat.com 0
check "cat.♚ copies 300 KiB and exits 116 ('t')" copies ./cat.♚ 116

# The C programs (scripts/com-cc, on nolibc), in both formats.
seq 1 20000 > "$tmp/lines"
seq 20000 -1 1 > "$tmp/senil"
for ext in com ♚; do
	d=./c
	check "C hello.$ext prints hello, world" prints "hello, world" $d/hello.$ext
	check "C echo.$ext prints its arguments" prints "one two  three" \
		$d/echo.$ext one "two  three"
	check "C echo.$ext -n prints no newline" sh -c \
		"[ \"\$(xexec $d/echo.$ext -n a b; echo .)\" = 'a b.' ]"
	check "C env.$ext prints its environment" sh -c \
		"env -i A=1 'B=two words' xexec $d/env.$ext > $tmp/out &&
		 printf 'A=1\nB=two words\n' | cmp -s - $tmp/out"
	check "C env.$ext NAME prints its value, exits 1 if unset" sh -c \
		"[ \"\$(env -i X=42 xexec $d/env.$ext X)\" = 42 ] &&
		 ! env -i xexec $d/env.$ext X"
	check "C cat.$ext copies files and stdin, in order" sh -c \
		"echo mid | xexec $d/cat.$ext $tmp/data - $tmp/data > $tmp/out &&
		 { cat $tmp/data; echo mid; cat $tmp/data; } | cmp -s - $tmp/out"
	check "C cat.$ext reports a missing file and exits 1" exits 1 \
		$d/cat.$ext /nonexistent
	check "C tac.$ext reverses 20000 lines" sh -c \
		"xexec $d/tac.$ext < $tmp/lines | cmp -s - $tmp/senil"
	check "C factor.$ext factors its arguments" prints \
		"$(printf '600851475143: 71 839 1471 6857\n18446744073709551615: 3 5 17 257 641 65537 6700417\n1:')" \
		$d/factor.$ext 600851475143 18446744073709551615 1
	check "C factor.$ext reads numbers from stdin" sh -c \
		"printf '12 17\n1000000007\n' | xexec $d/factor.$ext > $tmp/out &&
		 printf '12: 2 2 3\n17: 17\n1000000007: 1000000007\n' | cmp -s - $tmp/out"
	check "C factor.$ext refuses 12x with status 1" exits 1 $d/factor.$ext 12x
	check "C malloc.$ext: 14 MB of malloc, realloc, free, and brk" prints \
		"malloc: ok, 14451816 bytes in 48 blocks, realloc, free, 1 MiB of brk" \
		$d/malloc.$ext
done
check "C hello.elf (static ELF, nolibc) prints the same" prints "hello, world" ./c/hello.elf

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

# Names and sizes that are not binaries of ours.
cp tiny.com "$tmp/.com"
check "a file named .com alone is refused" refused "$tmp/.com"
: > "$tmp/empty.com"
chmod 755 "$tmp/empty.com"
check "an empty .com is refused" refused "$tmp/empty.com"
cp tiny.com "$tmp/tiny.bin"
check "tiny.com under another name is refused" refused "$tmp/tiny.bin"

if [ "$kind" = modules ]; then
	# A running image keeps its format's module in use.
	mkfifo "$tmp/fifo"
	xexec ./wait.com < "$tmp/fifo" &
	pid=$!
	exec 3> "$tmp/fifo"
	i=0
	while [ "$(cat /proc/$pid/comm 2>/dev/null)" != wait.com ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "rmmod binfmt_com fails while wait.com runs" sh -c '! rmmod binfmt_com 2>/dev/null'
	# Not a SIGPIPE for this shell if wait.com never ran.
	(trap '' PIPE && echo x >&3) 2> /dev/null
	exec 3>&-
	wait $pid
	rc=$?
	check "wait.com exits 42 once it has read" [ "$rc" = 42 ]
	check "rmmod binfmt_com binfmt_calm" rmmod binfmt_com binfmt_calm
	for p in tiny.com hello.com cat.com './*.♚' push42.♚ cat.♚; do
		check "$p is refused without the modules" refused "$p"
	done
	check "insmod binfmt_com" insmod /lib/modules/binfmt_com.ko
	check "insmod binfmt_calm" insmod /lib/modules/binfmt_calm.ko
	check "tiny.com exits 42 again" exits 42 ./tiny.com
	check "*.♚ exits 42 again" exits 42 './*.♚'
fi

# The series' kselftest: one line here for each of its tests.
if [ -x /bin/binfmt_com_test ]; then
	# The filter picks kselftest cases by name, with the harness's -t.
	set --
	if [ -n "$filter" ]; then
		for t in $(binfmt_com_test -l 2>&1 | sed -n 's/^[^-#].* \([a-z0-9_]*\)$/\1/p'); do
			! wanted "kselftest dir.$t" || set -- "$@" -t "$t"
		done
	fi
	if [ -z "$filter" ] || [ $# -gt 0 ]; then
		cp /proc/mounts "$tmp/mounts.before"
		binfmt_com_test "$@" > "$tmp/kselftest" 2>&1
		grep '^#' "$tmp/kselftest" | grep -v -e '^#  RUN' -e '^#  *OK' -e '^# Totals'
		sed -En 's/^(not ok|ok) [0-9]+ (.*)$/\1|\2/p' "$tmp/kselftest" > "$tmp/kselftest.tap"
		while IFS='|' read -r verdict name; do
			case "$verdict|$name" in
			"ok|"*"# SKIP"*) tap_skip "kselftest ${name%% # SKIP*}" "SKIPPED:${name#*# SKIP}" ;;
			"ok|"*) tap_ok "kselftest $name" ;;
			*)
				tap_not_ok "kselftest $name"
				# What the case said, again, right under its verdict.
				awk -v t="$name" '$2 == "RUN" && $3 == t { on = 1; next }
					on && /^(not )?ok / { exit }
					on { print "#   " $0 }' "$tmp/kselftest"
				;;
			esac
		done < "$tmp/kselftest.tap"
		[ -s "$tmp/kselftest.tap" ] || not_ok "kselftest ran"
		check "kselftest left no mount behind" mounts_unchanged
	fi
	check "kselftest runs under a noexec, nosuid /tmp, skipping nothing" \
		kselftest_noexec_tmp
	check "vm.mmap_min_addr refusal was logged, naming the sysctl" \
		sh -c 'dmesg | grep -q "not allowed, see vm.mmap_min_addr"'
	check "vm.mmap_min_addr refusal of a long name is logged, cause and pid first" \
		mmap_min_addr_logged
else
	not_ok "kselftest binfmt_com_test is in the initramfs"
fi

if [ ! -w "$kmemleak" ]; then
	skip "kmemleak: not in this kernel"
elif wanted "kmemleak finds nothing after the tests"; then
	# Leaks show only after two scans, and objects younger than five
	# seconds are not reported.
	sleep 6
	echo scan > "$kmemleak"
	echo scan > "$kmemleak"
	cat "$kmemleak" > "$tmp/leaks"
	check "kmemleak finds nothing after the tests" [ ! -s "$tmp/leaks" ]
	sed 's/^/# /' "$tmp/leaks" | head -40
fi

tap_end
