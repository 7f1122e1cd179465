#!/usr/bin/env bash
# Fuzzes the parsers (fuzz/Irrigation.Fuzz) with afl-fuzz and SharpFuzz for a fixed time, then reports for each
# target its executions, the edges it found, its crashes and hangs, and the line and branch coverage of its source
# when the tests replay its corpus. Installs what it needs (afl++ from apt, SharpFuzz.CommandLine as a dotnet tool).
#
#   fuzz/run.sh                      60 s in all, shared by the five targets
#   fuzz/run.sh 3600                 an hour in all (or FUZZ_SECONDS=3600 fuzz/run.sh)
#   fuzz/run.sh 600 frame hello      ten minutes in all on two targets
#
# Everything it writes is under artifacts/fuzz/. It exits 1 when a target crashed or hung: the inputs are copied to
# artifacts/fuzz/findings/TARGET/ with what broke; docs/fuzzing.md says how one becomes a regression test.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/artifacts/fuzz"
seconds=${1:-${FUZZ_SECONDS:-60}}
[ "$#" -gt 0 ] && shift
targets=("$@")

step() { printf '\n== %s ==\n' "$*"; }
die() { echo "fuzz/run.sh: $*"; exit 1; }
stat_of() { sed -nE "s/^$1 *: *//p" "$2"; }

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: fuzz/run.sh [SECONDS] [TARGET...]   (SECONDS in all, default 60; targets: all)"
    exit 2
fi

mkdir -p "$out"
step "tools (afl++ from apt, SharpFuzz.CommandLine from NuGet)"
if ! command -v afl-fuzz > /dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing afl++ (apt)"
    # Non-interactive, as tests/run-all.sh installs its tools: CI has no stdin.
    { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++; } \
        < /dev/null > "$out/apt.log" 2>&1 || die "apt-get install afl++ failed: see $out/apt.log"
fi
# The command-line tool instruments with the same SharpFuzz version the fuzz project references.
version=$(sed -nE 's/.*PackageVersion Include="SharpFuzz" Version="([^"]+)".*/\1/p' Directory.Packages.props)
sharpfuzz="$out/tools/sharpfuzz"
if [ ! -x "$sharpfuzz" ]; then
    dotnet tool install --tool-path "$out/tools" SharpFuzz.CommandLine --version "$version" > "$out/tool.log" 2>&1 \
        || die "dotnet tool install SharpFuzz.CommandLine $version failed: see $out/tool.log"
fi
echo "$(afl-fuzz -h 2>&1 | grep -m1 -oE 'afl-fuzz[+]+[0-9a-z.]+'), SharpFuzz.CommandLine $version"

step "build (plain for seeding, replay and triage; a copy with the parsers instrumented for afl-fuzz)"
rm -rf "$out/plain" "$out/bin" "$out/corpus" "$out/findings" "$out/coverage"
# The parsers do not need the dashboard's chart library, nor npm to fetch it.
build_flags=()
command -v npm > /dev/null 2>&1 || build_flags=(-p:DashboardSkipNpm=true)
dotnet publish fuzz/Irrigation.Fuzz -c Release -o "$out/plain" -nologo -v quiet "${build_flags[@]}" > "$out/build.log" 2>&1 \
    || die "the fuzz project did not build: see $out/build.log"
cp -r "$out/plain" "$out/bin"
# Only the parsers carry coverage points, so afl-fuzz steers by them and not by the rest of the server.
"$sharpfuzz" "$out/bin/Irrigation.Core.dll" Irrigation.Core.Protocol,Irrigation.Core.Config \
    && "$sharpfuzz" "$out/bin/Irrigation.Server.dll" Irrigation.Server.Relay.FrameValidator,Irrigation.Server.Relay.ReadingFrameReader,Irrigation.Server.Relay.Utf16Escapes,Irrigation.Server.Auth.Identifiers \
    || die "sharpfuzz could not instrument the parsers"
plain=(dotnet "$out/plain/Irrigation.Fuzz.dll")
[ "${#targets[@]}" -gt 0 ] || mapfile -t targets < <("${plain[@]}" list)
per=$(( seconds / ${#targets[@]} ))
[ "$per" -ge 1 ] || per=1
echo "${per} s on each of ${targets[*]}"

status=0
total_execs=0
total_failures=0
for target in "${targets[@]}"; do
    step "fuzz $target (${per} s)"
    dir="$out/$target"
    rm -rf "$dir" && mkdir -p "$dir"
    "${plain[@]}" seed "$target" "$root" "$dir/seeds" || die "no seeds for '$target' (fuzz/run.sh list: $("${plain[@]}" list | tr '\n' ' '))"
    # No UI (a log instead), no core binding (the machine is shared), dotnet is not an AFL binary (the instrumented
    # assemblies are); IRRIGATION_FUZZ_LOG collects the exception of every failing input.
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        IRRIGATION_FUZZ_LOG="$dir/failures.log" \
        afl-fuzz -i "$dir/seeds" -o "$dir/afl" -x fuzz/protocol.dict -t 2000 -m none -G 20000 -V "$per" \
        -- dotnet "$out/bin/Irrigation.Fuzz.dll" "$target" < /dev/null > "$dir/afl.log" 2>&1
    stats="$dir/afl/default/fuzzer_stats"
    if [ ! -f "$stats" ]; then
        grep -E "PROGRAM ABORT|SYSTEM ERROR|Location" "$dir/afl.log" | sed 's/\x1b\[[0-9;]*m//g'
        echo "afl-fuzz did not run '$target': see $dir/afl.log"
        status=1
        continue
    fi

    execs=$(stat_of execs_done "$stats")
    crashes=$(stat_of saved_crashes "$stats")
    hangs=$(stat_of saved_hangs "$stats")
    printf '  %-15s %8s execs (%s/s), %s edges, %s inputs in the corpus, %s crashes, %s hangs\n' "$target" "$execs" \
        "$(stat_of execs_per_sec "$stats" | cut -d. -f1)" "$(stat_of edges_found "$stats")" "$(stat_of corpus_count "$stats")" "$crashes" "$hangs"
    total_execs=$(( total_execs + execs ))
    mkdir -p "$out/corpus/$target"
    cp "$dir/afl/default/queue/"id* "$out/corpus/$target/" 2> /dev/null

    for found in crashes:crash hangs:hang; do
        kind=${found#*:}
        for input in "$dir/afl/default/${found%:*}/"id*; do
            [ -f "$input" ] || continue
            total_failures=$(( total_failures + 1 ))
            status=1
            mkdir -p "$out/findings/$target"
            saved="$out/findings/$target/$kind-$(sha1sum "$input" | cut -c1-12)"
            cp "$input" "$saved"
            # The plain build says what broke; a hang is replayed with a time limit.
            timeout 20 "${plain[@]}" "$target" "$saved" > "$saved.txt" 2>&1
            if [ "$?" -eq 124 ]; then
                what="no answer within 20 s"
            else
                what=$(grep -m1 -E ': [A-Za-z.]+(Exception|Failure): ' "$saved.txt" | sed 's/^[^:]*: //')
            fi
            echo "  $kind: $saved: ${what:-see $saved.txt}"
        done
    done
done

step "coverage (the tests replay each target's seeds, findings and corpus under Microsoft Code Coverage)"
for tests in tests/Irrigation.Core.Tests tests/Irrigation.Server.Tests; do
    IRRIGATION_FUZZ_CORPUS="$out/corpus" dotnet test "$tests" -c Release -nologo "${build_flags[@]}" --filter "FullyQualifiedName~SeedsAndFuzzFindings" \
        --collect "Code Coverage;Format=cobertura" --results-directory "$out/coverage" > "$out/coverage-$(basename "$tests").log" 2>&1 \
        || { echo "a replay failed: see $out/coverage-$(basename "$tests").log"; status=1; }
done
mapfile -t reports < <(find "$out/coverage" -name '*.cobertura.xml' 2> /dev/null)
if [ "${#reports[@]}" -gt 0 ]; then
    "${plain[@]}" coverage "${reports[@]}"
else
    echo "no coverage report: see $out/coverage-*.log"
fi

step "summary"
echo "  ${per} s on each of ${targets[*]}: $total_execs executions, $total_failures crashes and hangs (afl-fuzz output: $out/TARGET/afl)"
[ "$total_failures" -eq 0 ] || echo "  each finding: artifacts/fuzz/findings/TARGET/; make it a regression test as docs/fuzzing.md says"
exit $status
