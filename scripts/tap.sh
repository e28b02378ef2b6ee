# shellcheck shell=sh
# TAP (version 13) for scripts/check, scripts/review and the guest's
# tests.sh, which all source this file: "ok N - WHAT", "not ok N - WHAT",
# "ok N - WHAT # SKIP WHY", then the plan "1..N" and, last, the tally
# "N passed, N failed, N skipped". POSIX sh, for bash on the host and
# busybox's sh in the guest. Not run on its own.

tap_n=0
tap_passed=0
tap_failed=0
tap_skipped=0

tap_begin() { echo "TAP version 13"; }

tap_ok() {
	tap_n=$((tap_n + 1))
	tap_passed=$((tap_passed + 1))
	echo "ok $tap_n - $*"
}

tap_not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# tap_skip WHAT WHY: a check that did not run, said so.
tap_skip() {
	tap_n=$((tap_n + 1))
	tap_skipped=$((tap_skipped + 1))
	echo "ok $tap_n - $1 # SKIP ${2:-}"
}

# tap_result STATUS WHAT: ok when STATUS is 0.
tap_result() {
	if [ "$1" = 0 ]; then
		shift
		tap_ok "$@"
	else
		shift
		tap_not_ok "$@"
	fi
}

# tap_run WHAT COMMAND...: one check, ok when COMMAND succeeds; what it
# printed is shown as "#" lines.
tap_run() {
	tap_what=$1
	shift
	tap_rc=0
	tap_out=$("$@" 2>&1) || tap_rc=$?
	[ -z "$tap_out" ] || printf '%s\n' "$tap_out" | sed 's/^/# /'
	tap_result "$tap_rc" "$tap_what"
}

# tap_relay PREFIX < TAP: the results of another TAP stream, renumbered
# into this one, their descriptions after PREFIX; "#" lines pass through.
# Read from a redirection, not a pipe, so that the counts stay here.
tap_relay() {
	while IFS= read -r tap_line; do
		case "$tap_line" in
		"ok "*"# SKIP"*)
			tap_line=${tap_line#ok }
			tap_line=${tap_line#* - }
			tap_why=${tap_line#*# SKIP}
			tap_line=${tap_line%%# SKIP*}
			tap_skip "$1${tap_line%"${tap_line##*[! ]}"}" "${tap_why# }" ;;
		"ok "*)
			tap_line=${tap_line#ok }
			tap_ok "$1${tap_line#* - }" ;;
		"not ok "*)
			tap_line=${tap_line#not ok }
			tap_not_ok "$1${tap_line#* - }" ;;
		"#"*) echo "$tap_line" ;;
		esac
	done
}

# tap_end: the plan and the tally; false when anything failed.
tap_end() {
	echo "1..$tap_n"
	echo "$tap_passed passed, $tap_failed failed, $tap_skipped skipped"
	[ "$tap_failed" = 0 ]
}
