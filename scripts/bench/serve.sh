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

# 100 listeners of one station for two minutes, against the cost of rendering what they
# hear: the station's first track rendered as a file on one core (the station's budget),
# scaled to the window. A two-minute window holds one or two of the station's renders, so
# both figures are per second of audio.
# The first-byte stations stop after a minute idle; then station 7 is alone on the server.
sleep 65
curl -s -o /dev/null "$url/api/radio/now?seed=7"
window=${WINDOW:-120}
dir=$(mktemp -d)
for n in 1 100; do
  c0=$(cpu); t0=$(date +%s.%N)
  for i in $(seq 1 $n); do curl -s -m "$window" -o "$dir/$i.mp3" "$url/radio.mp3?seed=7" & done
  wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  c1=$(cpu); t1=$(date +%s.%N)
  min=$(for f in "$dir"/*.mp3; do stat -c %s "$f"; done | sort -n | head -1)
  max=$(for f in "$dir"/*.mp3; do stat -c %s "$f"; done | sort -n | tail -1)
  rm -f "$dir"/*.mp3
  wall[$n]=$(echo "$t1 - $t0" | bc -l)
  cpus[$n]=$(echo "($c1 - $c0) / $hz" | bc -l)
  printf '| %d MP3 listener(s) of one station, %s s: server CPU | %.2f s in %.1f s wall (%.1f %% of one core) |\n' "$n" "$window" "${cpus[$n]}" "${wall[$n]}" "$(echo "100 * ${cpus[$n]} / ${wall[$n]}" | bc -l)"
  printf '| %d listener(s): audio each received | %.1f–%.1f s (MP3 at 24,000 bytes/s) |\n' "$n" "$(echo "$min / 24000" | bc -l)" "$(echo "$max / 24000" | bc -l)"
done
sleep 2
listeners=$(curl -s "$url/api/radio/now?seed=7" | python3 -c 'import json,sys; print(json.load(sys.stdin)["listeners"])')
echo "| listeners still counted 2 s after they left | $listeners |"
# The station's first song, rendered as a file on one core as a station renders it.
curl -s -X POST -d '{"seed": 7, "count": 1}' "$url/api/songs" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[0]))' > "$dir/song.json"
/usr/bin/time -f '%U %S %e' -o "$dir/time" taskset -c 1 "$bin" render "$dir/song.json" -o "$dir/song.wav" --seed 7 2>/dev/null
seconds=$(python3 -c 'import sys, wave; w = wave.open(sys.argv[1]); print(w.getnframes() / w.getframerate())' "$dir/song.wav")
read -r u s e < "$dir/time"
per=$(echo "($u + $s) / $seconds" | bc -l)
printf '| its first track (%.1f s) rendered as a file on one core | %.2f s CPU: %.4f s per second of audio, %.2f s per %s s |\n' "$seconds" "$(echo "$u + $s" | bc -l)" "$per" "$(echo "$per * $window" | bc -l)" "$window"
# The same rendered to MP3 (render + the encoder a station runs): what a station must do
# once per track whoever listens.
/usr/bin/time -f '%U %S %e' -o "$dir/time3" taskset -c 1 "$bin" render "$dir/song.json" -o "$dir/song.mp3" --seed 7 2>/dev/null
read -r u3 s3 e3 < "$dir/time3"
per3=$(echo "($u3 + $s3) / $seconds" | bc -l)
printf '| the same rendered to MP3 on one core | %.2f s CPU: %.4f s per second of audio |\n' "$(echo "$u3 + $s3" | bc -l)" "$per3"
for n in 1 100; do
  printf '| %d listener(s): server CPU / the WAV render of the audio they heard | **%.2f** |\n' "$n" "$(echo "${cpus[$n]} / ($per * ${wall[$n]})" | bc -l)"
  printf '| %d listener(s): server CPU / the MP3 render of the audio they heard | **%.2f** |\n' "$n" "$(echo "${cpus[$n]} / ($per3 * ${wall[$n]})" | bc -l)"
done
rm -rf "$dir"

# /decode under load.
z="[$(python3 -c 'print(",".join(str(((i * 37) % 19 - 9) / 7) for i in range(100)))')]"
wrk -t2 -c16 -d20s --latency "$url/decode?input=$z" > "$log.wrk"
rps=$(grep 'Requests/sec' "$log.wrk" | awk '{print $2}')
echo "| /decode, wrk -t2 -c16 -d20s | $rps requests/s |"
for p in 50% 90% 99%; do echo "| /decode latency p$p | $(grep -E "^ +$p" "$log.wrk" | awk '{print $2}') |"; done
rm -f "$log.wrk"

if [ "${1:-}" = "--hour" ]; then
  # One Ogg listener of a new station for an hour; the server's RSS every minute.
  out=$(mktemp)
  curl -s -m 3630 -o "$out" "$url/radio.ogg?seed=8" &
  listener=$!
  rss() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )); }
  declare -a samples
  echo
  echo "| minute | server RSS (MB) | server CPU so far (s) | bytes sent to the listener |"
  echo "| --- | --- | --- | --- |"
  for m in $(seq 0 60); do
    samples[$m]=$(rss)
    if [ $((m % 5)) -eq 0 ]; then
      printf '| %d | %d | %.1f | %s |\n' "$m" "${samples[$m]}" "$(echo "$(cpu) / $hz" | bc -l)" "$(stat -c %s "$out")"
    fi
    [ "$m" -lt 60 ] && sleep 60
  done
  echo
  for range in "1 20" "21 40" "41 60"; do
    set -- $range
    sorted=$(for m in $(seq "$1" "$2"); do echo "${samples[$m]}"; done | sort -n)
    echo "RSS over minutes $1–$2 (a sample a minute): $(echo "$sorted" | head -1)–$(echo "$sorted" | tail -1) MB"
  done
  kill "$listener" 2>/dev/null || true
  rm -f "$out"
fi
