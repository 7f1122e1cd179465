#!/usr/bin/env bash
# Runs the load benchmarks (docs/benchmarks.md): benchmarks/run.sh <relay|ingest|idle|all> [flags]
# Builds the server and the benchmark in Release, raises the open-files limit (thousands of loopback sockets: each
# connection is one descriptor in the client process and one in the server), then runs the benchmark program.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files limit: $(ulimit -n)"
dotnet build -c Release "$root/benchmarks/Irrigation.Benchmarks" -v q -nologo | grep -E "error|Warn|Elapsed" || true
exec dotnet "$root/benchmarks/Irrigation.Benchmarks/bin/Release/net10.0/Irrigation.Benchmarks.dll" "$@"
