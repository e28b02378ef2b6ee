#!/bin/sh
# profile.sh ROUNDS EXECS PROGRAM...: where the kernel spends an exec of
# each PROGRAM, with ftrace's function profiler (the "profile" kernel of
# scripts/profile). Two profiles, each of ROUNDS rounds in which
# /bin/bench runs EXECS fork+execve+wait cycles of every program in turn
# (the order rotates from round to round, as bench's own rounds do):
#
#   phases  only the functions listed below are profiled, each with the
#           time of its children (graph-time), so that they nest: the
#           fork, the exec and its parts, the page faults, the exit and
#           the wait
#   flat    every function is profiled, on its own time only (no
#           graph-time): where the cycles go, whoever calls
#
# Functions that never return (do_exit) cannot be timed this way; those
# that return early (another format's loader saying -ENOEXEC) count as
# calls. Every program runs once before, so that none pays for a cold
# page cache. Neither profile counts the time a task sleeps: the parent's
# wait4() does not include its child's run. Prints each program's profile
# of each round between "profile-begin KIND PROGRAM EXECS" and
# "profile-end" as the kernel's trace_stat/function0 shows it (the flat
# one cut to its first 100 functions), with the wall time of the cycles
# under the profiler ("bench: ..."). Functions that cannot be traced
# (inlined, notrace, or absent from this kernel) are named on a
# "profile-untraced" line. Exits non-zero if the profiler is missing or
# a run fails.

# The functions of the "phases" profile, outermost first: those of them
# the compiler does not inline in 6.12 (exec_mmap, search_binary_handler
# and exit_mm are inlined, for one).
phases="
x64_sys_call
kernel_clone copy_process
__x64_sys_execve
bprm_execve
alloc_bprm copy_strings copy_string_kernel
load_elf_binary load_com_binary load_calm_binary flat_com_load_binary
load_script load_misc_binary
begin_new_exec setup_new_exec arch_pick_mmap_layout
setup_arg_pages relocate_vma_down finalize_exec
vm_mmap vm_mmap_pgoff vm_brk_flags kernel_read map_vdso
get_random_u64 get_random_u32 _get_random_bytes randomize_page
flat_com_put_strings
handle_mm_fault
mmput exit_mmap exit_files
kernel_wait4 release_task
"
rounds=$1
execs=$2
shift 2
t=/sys/kernel/tracing
[ -d "$t/trace_stat" ] || mount -t tracefs tracefs "$t" 2>/dev/null
if [ ! -f "$t/function_profile_enabled" ]; then
	echo "profile: this kernel has no function profiler (CONFIG_FUNCTION_PROFILER)"
	exit 1
fi

# rotate K PROGRAM...: the programs, one a line, from the K-th one on.
rotate() {
	k=$1
	shift
	i=0
	for p in "$@"; do
		[ "$i" -lt "$k" ] || echo "$p"
		i=$((i + 1))
	done
	i=0
	for p in "$@"; do
		[ "$i" -ge "$k" ] || echo "$p"
		i=$((i + 1))
	done
}

echo function_graph > "$t/current_tracer" || exit 1
echo 0 > "$t/tracing_on"
echo nosleep-time > "$t/trace_options" || exit 1
bench 1 1 "$@" > /dev/null || exit 1

status=0
for kind in phases flat; do
	: > "$t/set_ftrace_filter"
	if [ "$kind" = phases ]; then
		echo graph-time > "$t/trace_options" || exit 1
		untraced=
		for f in $phases; do
			echo "$f" >> "$t/set_ftrace_filter" 2>/dev/null ||
				untraced="$untraced $f"
		done
		echo "profile-untraced$untraced"
		lines=1000
	else
		echo nograph-time > "$t/trace_options" || exit 1
		lines=102
	fi
	r=0
	while [ "$r" -lt "$rounds" ]; do
		rotate $((r % $#)) "$@" > /tmp/profile.order
		while read -r p; do
			bench -p "$t/function_profile_enabled" 1 "$execs" "$p" \
				> /tmp/profile.out || status=1
			echo "profile-begin $kind $p $execs"
			sed 's/^/bench: /' /tmp/profile.out
			head -n "$lines" "$t/trace_stat/function0"
			echo "profile-end"
		done < /tmp/profile.order
		r=$((r + 1))
	done
done
echo nop > "$t/current_tracer"
exit "$status"
