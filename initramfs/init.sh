#!/bin/busybox sh
# /init (init.c) runs this with busybox sh.
# shellcheck shell=dash
# The guest's init. The kernel command line picks what it does:
#   flatcom=run    run tiny.com and *.<king> and show their exit statuses
#   flatcom=test   run the in-guest test suite (/tests.sh); with
#                  flatcom.filter=WORD only the tests whose name has WORD,
#                  with flatcom.storm=N a storm of N execs in the kselftest,
#                  with flatcom.cases=N, .seconds=S, .seed=S or .case=K
#                  those of the fuzzer (scripts/fuzz), with
#                  flatcom.race=S the concurrency check for S seconds
#   flatcom=shell  an interactive shell in /progs
#   flatcom=probe  nothing: scripts/accel only checks that init starts
#   flatcom=bench  time the programs of /bench (flatcom.rounds=R and
#                  flatcom.execs=N: see /bin/bench), print their CSV
#   flatcom=profile where the kernel spends an exec of each program of
#                  /bench (flatcom.rounds=R, flatcom.execs=N; see
#                  /profile.sh)
# The verdict leaves the guest through qemu's isa-debug-exit device
# (port 0xf4): qemu exits with status 1 when everything passed.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# scripts/accel waits for this line to know that a guest really boots.
echo "flatcom: init started"
# No modprobe here: keep the kernel from calling one for unknown formats.
echo > /proc/sys/kernel/modprobe

# Leave through isa-debug-exit with status $1 (0: passed), or reboot,
# which -no-reboot turns into an exit, if there is no such device.
verdict() {
	printf '%b' "\\$(printf %03o "$1")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	reboot -f
}

case " $(cat /proc/cmdline) " in
*" flatcom=probe "*) verdict 0 ;;
esac

# Twice: a module that needs another (out of tree, the formats need the
# loader's module) goes in once that one is.
for round in 1 2; do
	for m in /lib/modules/*.ko; do
		[ -e "$m" ] || continue
		! grep -q "^$(basename "$m" .ko) " /proc/modules || continue
		if [ "$round" = 1 ]; then
			insmod "$m" 2>/dev/null
		else
			insmod "$m" || echo "init: insmod $m failed"
		fi
	done
done

mode="test"
rounds=21
execs=200
filter=
fuzz_args=
read -r cmdline < /proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	flatcom=*) mode=${arg#flatcom=} ;;
	flatcom.rounds=*) rounds=${arg#flatcom.rounds=} ;;
	flatcom.execs=*) execs=${arg#flatcom.execs=} ;;
	flatcom.filter=*) filter=${arg#flatcom.filter=} ;;
	flatcom.storm=*) export BINFMT_COM_STORM_EXECS="${arg#flatcom.storm=}" ;;
	flatcom.race=*) export FLATCOM_RACE_SECONDS="${arg#flatcom.race=}" ;;
	flatcom.cases=*|flatcom.seconds=*|flatcom.seed=*|flatcom.case=*)
		a=${arg#flatcom.}
		fuzz_args="$fuzz_args --${a%%=*} ${a#*=}" ;;
	esac
done
export FLATCOM_FUZZ_ARGS="$fuzz_args"

# What the timings of bench and profile are taken with, at the start and
# (clock_report end) after them: the kernel may change its clock on the way.
clock_report() {
	read -r clock < /sys/devices/system/clocksource/clocksource0/current_clocksource
	echo "guest clocksource${1:+ at the $1}: $clock"
}
clock_report

cd /progs || exit 1
case "$mode" in
run)
	status=0
	for p in ./tiny.com './*.♚'; do
		echo "\$ $p; echo \$?"
		xexec "$p"
		rc=$?
		echo "$rc"
		[ "$rc" = 42 ] || status=1
	done
	verdict "$status"
	;;
test)
	sh /tests.sh "$filter"
	verdict $?
	;;
bench)
	# The order of /bench/order is the order of the report.
	cd /bench || verdict 1
	set --
	while read -r p; do
		set -- "$@" "$p"
	done < order
	echo "bench: $rounds rounds of $execs execs of each of: $*"
	echo "bench-csv-begin"
	bench "$rounds" "$execs" "$@"
	status=$?
	echo "bench-csv-end"
	clock_report end
	verdict "$status"
	;;
profile)
	cd /bench || verdict 1
	set --
	while read -r p; do
		set -- "$@" "$p"
	done < order
	sh /profile.sh "$rounds" "$execs" "$@"
	status=$?
	clock_report end
	verdict "$status"
	;;
shell)
	echo "The test programs are in /progs: try ./tiny.com; echo \$?"
	echo "Leave with exit (or Ctrl-a x)."
	setsid cttyhack sh -l
	verdict 0
	;;
*)
	echo "init: unknown flatcom=$mode"
	verdict 1
	;;
esac
