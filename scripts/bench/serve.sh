#!/usr/bin/env bash
# Benchmarks `lofi-render serve` (release build): time to the first audio byte for a new
# and a running station, 100 listeners of one station and the CPU they take, /decode under
# load from wrk, and (with --hour) the server's memory over an hour-long stream.
#   scripts/bench/serve.sh [--hour]
# Needs curl and wrk (Debian). Prints Markdown for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/lofi-render
[ -x "$bin" ] || swift build -c release --product lofi-render >/dev/null
port=${PORT:-8391}
log=$(mktemp)
"$bin" serve --port "$port" --max-stations 8 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
until grep -q "serving on" "$log"; do sleep 0.1; done
url="http://127.0.0.1:$port"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }   # user + system, clock ticks
hz=$(getconf CLK_TCK)

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo
echo "| measure | value |"
echo "| --- | --- |"
first() { curl -s -o /dev/null -m 30 --range 0-0 -w '%{time_starttransfer}' "$1" 2>/dev/null || true; }
for s in 101 102 103; do
  new=$(curl -s -o /dev/null -m 8 -w '%{time_starttransfer}' "$url/radio.mp3?seed=$s" || true)
  echo "| first audio byte, new station seed=$s | ${new} s |"
done
for s in 101 102 103; do
  running=$(curl -s -o /dev/null -m 3 -w '%{time_starttransfer}' "$url/radio.mp3?seed=$s" || true)
  echo "| first audio byte, running station seed=$s | ${running} s |"
done

# 100 listeners of one station for 60 s.
curl -s -o /dev/null "$url/api/radio/now?seed=7"
dir=$(mktemp -d)
c0=$(cpu); t0=$(date +%s.%N)
for i in $(seq 1 100); do curl -s -m 60 -o "$dir/$i.mp3" "$url/radio.mp3?seed=7" & done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
c1=$(cpu); t1=$(date +%s.%N)
min=$(for f in "$dir"/*.mp3; do stat -c %s "$f"; done | sort -n | head -1)
max=$(for f in "$dir"/*.mp3; do stat -c %s "$f"; done | sort -n | tail -1)
rm -rf "$dir"
wall=$(echo "$t1 - $t0" | bc -l)
cpus=$(echo "($c1 - $c0) / $hz" | bc -l)
printf '| 100 listeners, 60 s: server CPU | %.2f s in %.1f s wall (%.1f %% of one core) |\n' "$cpus" "$wall" "$(echo "100 * $cpus / $wall" | bc -l)"
printf '| 100 listeners: audio each received | %.1f–%.1f s (MP3 at 24,000 bytes/s) |\n' "$(echo "$min / 24000" | bc -l)" "$(echo "$max / 24000" | bc -l)"
listeners=$(curl -s "$url/api/radio/now?seed=7" | python3 -c 'import json,sys; print(json.load(sys.stdin)["listeners"])')
echo "| listeners still counted after they left | $listeners |"

# /decode under load.
z="[$(python3 -c 'print(",".join(str(((i * 37) % 19 - 9) / 7) for i in range(100)))')]"
wrk -t2 -c16 -d20s --latency "$url/decode?input=$z" > "$log.wrk"
rps=$(grep 'Requests/sec' "$log.wrk" | awk '{print $2}')
echo "| /decode, wrk -t2 -c16 -d20s | $rps requests/s |"
for p in 50% 90% 99%; do echo "| /decode latency p$p | $(grep -E "^ +$p" "$log.wrk" | awk '{print $2}') |"; done
rm -f "$log.wrk"

if [ "${1:-}" = "--hour" ]; then
  curl -s -m 3600 -o /dev/null "$url/radio.ogg?seed=8" &
  echo
  echo "| minute | server RSS (MB) |"
  echo "| --- | --- |"
  for m in $(seq 0 5 60); do
    echo "| $m | $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) |"
    [ "$m" -lt 60 ] && sleep 300
  done
fi
