#!/usr/bin/env bash
# CPU instructions per HTTP request on a server's main thread, counted by valgrind's callgrind: unlike req/s, the
# count barely moves with whatever else the machine is doing (repeat runs differ by a few hundred instructions).
#
# Usage: scripts/bench/callgrind-http.sh [--warmup N] [--requests N] [--path /users/42] -- <server argv>
# The server must print `listening on http://HOST:PORT` on stdout. Examples, from the repository root:
#   scripts/bench/callgrind-http.sh -- node scripts/bench/servers/fastify-http.js
#   scripts/bench/callgrind-http.sh -- node -r ./packages/cli/dist/register.js scripts/bench/servers/serv-http.ts
# Needs valgrind (Debian: apt-get install valgrind) and the bench's own packages (npm install --prefix scripts/bench).
# The server runs on core 0 and autocannon (10 connections) on core 1. Instrumentation is switched on only for the
# measured requests, after two warm-ups; the main thread is counted alone, so TurboFan's compiler threads and the
# GC's helpers are left out. Under valgrind the server runs ~50× slower: every request sees a new millisecond.
set -euo pipefail

warmup=20000
requests=10000
path=/users/42
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in
    --warmup) warmup=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    *) echo "callgrind-http: unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
[[ $# -gt 1 && $1 == -- ]] || { echo "callgrind-http: give the server's command after --" >&2; exit 2; }
shift
for tool in valgrind callgrind_control callgrind_annotate taskset; do
  command -v "$tool" > /dev/null || { echo "callgrind-http: $tool is missing (Debian: apt-get install valgrind util-linux)" >&2; exit 2; }
done
bench_dir=$(cd "$(dirname "$0")" && pwd)
autocannon=$bench_dir/node_modules/autocannon/autocannon.js
[[ -f $autocannon ]] || { echo "callgrind-http: autocannon is missing: npm install --prefix scripts/bench" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$server" 2> /dev/null || true; rm -rf "$work"' EXIT
taskset -c 0 valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --smc-check=all-non-file \
  --callgrind-out-file="$work/out.%p" "$@" > "$work/stdout" 2> "$work/stderr" &
server=$!
until grep -q 'listening on http://' "$work/stdout"; do
  kill -0 "$server" 2> /dev/null || { echo "callgrind-http: the server exited before listening:" >&2; tail -20 "$work/stderr" >&2; exit 1; }
  sleep 0.5
done
url=$(grep -o 'http://[^ ]*' "$work/stdout" | head -1)$path
# Each run must end with every request answered 2xx, else the count would be of something else.
load() {
  local report
  report=$(taskset -c 1 node "$autocannon" --json --connections 10 --amount "$1" "$url" 2> /dev/null)
  node -e 'const r = JSON.parse(process.argv[1]); process.exit(r["2xx"] === Number(process.argv[2]) && r.errors === 0 ? 0 : 1)' "$report" "$1" \
    || { echo "callgrind-http: not every request to $url was answered 2xx: $report" >&2; exit 1; }
}
load "$warmup"
load "$warmup"
callgrind_control --zero "$server" > /dev/null
callgrind_control --instr=on "$server" > /dev/null
load "$requests"
callgrind_control --instr=off "$server" > /dev/null
callgrind_control --dump "$server" > /dev/null
kill "$server"
wait "$server" 2> /dev/null || true
# The dump of the main thread (thread 1) is the largest of the files ending in -01.
main=$(ls -S "$work"/out.*-01 | head -1)
total=$(callgrind_annotate "$main" 2> /dev/null | awk '/PROGRAM TOTALS/ && !seen { gsub(",", "", $1); print $1; seen = 1 }')
echo "instructions per request: $((total / requests)) (main thread, $requests requests of $url after 2 × $warmup)"
