#!/usr/bin/env bash
# Runs the load benchmarks (docs/benchmarks.md): benchmarks/run.sh <relay|idle|postgres|cluster|all> [flags]
# Installs the reference servers from Debian's packages when missing (Mosquitto, PostgreSQL 15, Redis 7; their own
# services are never started: the benchmark starts private ones on 127.0.0.1), raises the open-files limit (every
# loopback connection is a descriptor on both sides), builds the server and the benchmark in Release, and runs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
need=()
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
[ -x /usr/bin/redis-server ] || need+=(redis-server)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${need[*]} (apt)"
    # policy-rc.d keeps apt from starting the packages' own services.
    [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d > /dev/null && $sudo chmod +x /usr/sbin/policy-rc.d; }
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq < /dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" < /dev/null
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files limit: $(ulimit -n)"
dotnet build -c Release "$root/benchmarks/Irrigation.Benchmarks" -v q -nologo | grep -E "error|Warn|Elapsed" || true
exec dotnet "$root/benchmarks/Irrigation.Benchmarks/bin/Release/net10.0/Irrigation.Benchmarks.dll" "$@"
