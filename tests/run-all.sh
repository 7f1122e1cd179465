#!/usr/bin/env bash
# Runs every test of the repository on a fresh Debian machine with the .NET 10 SDK and prints, as its last
# line, "N passed, N failed" summed over every runner. Installs what else it needs (see README: Tests).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
tally="$results/tally.txt"
: > "$tally"
status=0

step() { printf '\n== %s ==\n' "$*"; }
record() { echo "$1 $2 $3" >> "$tally"; }   # runner passed failed

step "tools (Chromium for the browser tests, Node/npm for the dashboard build)"
# Debian's packages, installed once per machine; non-interactive (CI has no stdin). Never `playwright install`.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm > /dev/null 2>&1 || need+=(nodejs npm)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${need[*]} (apt)"
    if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } < /dev/null > "$results/apt.log" 2>&1; then
        echo "apt-get install ${need[*]} failed: see $results/apt.log"
    fi
fi
/usr/bin/chromium --version 2>/dev/null || echo "chromium is missing: the browser tests will fail"

step "build (dotnet build Irrigation.sln)"
if ! dotnet build Irrigation.sln -c Release -nologo -v minimal 2>&1 | tee "$results/build.log" | grep -E "error|Warn|warn|Build succeeded|Elapsed" | grep -v "warning NU1701"; then :; fi
if ! grep -q "Build succeeded" "$results/build.log"; then
    echo "build failed: see $results/build.log"
    record build 0 1
    status=1
fi

if [ "$status" -eq 0 ]; then
    step "xunit (dotnet test Irrigation.sln)"
    dotnet test Irrigation.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" --logger "trx;LogFilePrefix=xunit" --results-directory "$results" 2>&1 | tee "$results/xunit.log" | grep -E "Passed!|Failed!|\[FAIL\]|error|Error Message" 
    xunit_rc=${PIPESTATUS[0]}
    # Count from the .trx files (one per test assembly), not from console text.
    read -r xp xf < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | sed -E 's/.* passed="([0-9]+)" failed="([0-9]+)".*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
    if [ "$xunit_rc" -ne 0 ] && [ "$xf" -eq 0 ]; then xf=1; fi
    record xunit "$xp" "$xf"
    [ "$xunit_rc" -eq 0 ] || status=1
fi

step "summary"
cat "$tally" | while read -r runner p f; do printf '  %-10s %5s passed, %s failed\n' "$runner" "$p" "$f"; done
awk '{p+=$2; f+=$3} END {printf "%d passed, %d failed\n", p, f}' "$tally"
exit $status
