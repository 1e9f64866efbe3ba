#!/usr/bin/env bash
# ./test.sh [dotnet test args...]: set up what is missing (tools the tests use included), then run every test.
# Ends with one summary line: "Total: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --tests || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run_tests() {
  # Test assemblies run one at a time: on two cores, parallel assemblies only fight over ffmpeg and PostgreSQL.
  # Build output stays quiet; the console logger at minimal prints each failed test with its message and stack.
  dotnet test Provenance.sln -c Release --no-build -v q --nologo -m:1 --blame-hang-timeout 5m \
    --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}
# A test host that stops making progress for 5 minutes is dumped and aborted by --blame-hang-timeout: the run fails and
# the output names the dump and the test that was running.
run_tests "$@"
status=$?
awk '
  /(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1))
      if ($i == "Failed:") f += $(i+1)
      if ($i == "Passed:") p += $(i+1)
      if ($i == "Skipped:") s += $(i+1)
    }
    n++
  }
  END { printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
