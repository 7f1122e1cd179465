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

step "tools (Chromium, PostgreSQL 15, Redis 7, nginx and Mosquitto 2 for the tests, Node/npm for the dashboard build)"
# Debian's packages, installed once per machine; non-interactive (CI has no stdin). Never `playwright install`.
# The servers are not started as services: each test starts its own on 127.0.0.1 with a private data folder.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm > /dev/null 2>&1 || need+=(nodejs npm)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
[ -x /usr/bin/redis-server ] || need+=(redis-server)
[ -x /usr/sbin/nginx ] || need+=(nginx)
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${need[*]} (apt)"
    # policy-rc.d keeps apt from starting the packages' own services (there may be no init system, and tests start
    # their own servers anyway).
    if ! { { [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d > /dev/null && $sudo chmod +x /usr/sbin/policy-rc.d; }; } \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } < /dev/null > "$results/apt.log" 2>&1; then
        echo "apt-get install ${need[*]} failed: see $results/apt.log"
    fi
fi
/usr/bin/chromium --version 2>/dev/null || echo "chromium is missing: the browser tests will fail"
/usr/lib/postgresql/15/bin/postgres --version 2>/dev/null || echo "PostgreSQL 15 is missing: the PostgreSQL tests will fail"
/usr/bin/redis-server --version 2>/dev/null || echo "redis-server is missing: the cluster tests will fail"
{ [ -x /usr/sbin/nginx ] && /usr/sbin/nginx -v 2>&1; } || echo "nginx is missing: the reverse-proxy tests will fail"
[ -x /usr/sbin/mosquitto ] && echo "mosquitto $(dpkg-query -W -f='${Version}' mosquitto 2>/dev/null)" || echo "mosquitto is missing: the MQTT bridge tests will fail"

step "build (dotnet build Irrigation.sln)"
if ! dotnet build Irrigation.sln -c Release -nologo -v minimal 2>&1 | tee "$results/build.log" | grep -E "error|Warn|warn|Build succeeded|Elapsed" | grep -v "warning NU1701"; then :; fi
if ! grep -q "Build succeeded" "$results/build.log"; then
    echo "build failed: see $results/build.log"
    record build 0 1
    status=1
fi

if [ "$status" -eq 0 ]; then
    step "xunit (dotnet test Irrigation.sln)"
    dotnet test Irrigation.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" --logger "trx;LogFilePrefix=xunit" --results-directory "$results" 2>&1 | tee "$results/xunit.log" | awk '/Error Message:/ {print; left = 4; next} left > 0 {print; left--; next} /Passed!|Failed!|\[FAIL\]|error/' 
    xunit_rc=${PIPESTATUS[0]}
    # Count from the .trx files (one per test assembly), not from console text.
    read -r xp xf < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | sed -E 's/.* passed="([0-9]+)" failed="([0-9]+)".*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
    if [ "$xunit_rc" -ne 0 ] && [ "$xf" -eq 0 ]; then xf=1; fi
    record xunit "$xp" "$xf"
    [ "$xunit_rc" -eq 0 ] || status=1
fi

# Firmware facade vs the real nanoFramework API listings (../shared beside the clone, as in CI). The tool is
# copied out of ../shared before building: its folder also holds a deliberately wrong sample facade, and
# ../shared stays untouched.
step "apidiff (firmware/Irrigation.Firmware.Facade vs ../shared/nanoframework-api)"
apidiff_src="$root/../shared/tools/apidiff"
if [ -f "$apidiff_src/apidiff.csproj" ] && [ -d "$root/../shared/nanoframework-api" ]; then
    apidiff_tmp=$(mktemp -d)
    cp "$apidiff_src/Program.cs" "$apidiff_src/apidiff.csproj" "$apidiff_tmp/"
    if dotnet build "$apidiff_tmp/apidiff.csproj" -c Release -o "$root/artifacts/apidiff" -nologo -v quiet > "$results/apidiff-build.log" 2>&1; then
        "$root/artifacts/apidiff/apidiff" check firmware/Irrigation.Firmware.Facade "$root/../shared/nanoframework-api" > "$results/apidiff.log" 2>&1
        apidiff_rc=$?
        grep -E "^(MISSING|WARNING|apidiff:)" "$results/apidiff.log"
    else
        echo "apidiff did not build: see $results/apidiff-build.log"
        apidiff_rc=1
    fi
    rm -rf "$apidiff_tmp"
else
    echo "../shared/tools/apidiff or ../shared/nanoframework-api not found beside the repository"
    apidiff_rc=1
fi
if [ "$apidiff_rc" -eq 0 ]; then record apidiff 1 0; else record apidiff 0 1; status=1; fi

# nanoff-flash.ps1 and the firmware project files, with Pester 6 (NuGet) on pwsh 7.6.9 (local dotnet tool).
step "pester (tests/Irrigation.Flash.Tests)"
if dotnet tool restore > "$results/pester-setup.log" 2>&1 \
    && dotnet restore tests/Irrigation.Flash.Tests/PesterRestore.csproj -nologo >> "$results/pester-setup.log" 2>&1; then
    NO_COLOR=1 dotnet pwsh -NoProfile -NonInteractive -File tests/Irrigation.Flash.Tests/run-pester.ps1 -ResultsPath "$results/pester.xml" 2>&1 \
        | tee "$results/pester.log" | grep -E "^\[-\]|^ (Expected|at )|Tests completed"
    pester_rc=${PIPESTATUS[0]}
    read -r pp pf < <(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$results/pester.log" | tail -1 | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/')
    pp=${pp:-0}; pf=${pf:-0}
    if [ "$pester_rc" -ne 0 ] && [ "$pf" -eq 0 ]; then pf=1; fi
    record pester "$pp" "$pf"
    [ "$pester_rc" -eq 0 ] || status=1
else
    echo "pester setup failed: see $results/pester-setup.log"
    record pester 0 1
    status=1
fi

step "summary"
# Per runner in another wording, so that the last line is the only "N passed, N failed" line.
while read -r runner p f; do printf '  %-8s %5s tests passed and %s failed\n' "$runner" "$p" "$f"; done < "$tally"
awk '{p+=$2; f+=$3} END {printf "%d passed, %d failed\n", p, f}' "$tally"
exit $status
