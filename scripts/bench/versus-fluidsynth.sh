#!/usr/bin/env bash
# A finished render against bare FluidSynth on the same MIDI, for two builds, measured
# alternately in one run: wall, CPU (user + sys) and peak RSS from /usr/bin/time.
#   scripts/bench/versus-fluidsynth.sh OLD_BINARY NEW_BINARY [runs] [song index]
# Bare FluidSynth plays each build's own MIDI file with FluidR3_GM (the CLI from Debian
# `fluidsynth`; its reverb and chorus off, as the renderer has them).
set -euo pipefail
old="$(realpath "$1")"; new="$(realpath "$2")"; runs="${3:-5}"; index="${4:-0}"
command -v fluidsynth >/dev/null || { echo "needs the fluidsynth command (apt-get install fluidsynth)" >&2; exit 1; }
sf=/usr/share/sounds/sf2/FluidR3_GM.sf2
work="$(mktemp -d /tmp/versus-fs.XXXXXX)"; trap 'rm -rf "$work"' EXIT
python3 -c "import json,sys; json.dump(json.load(open(sys.argv[1]))[int(sys.argv[3])], open(sys.argv[2], 'w'))" \
  "$(dirname "$0")/../../../shared/reference/default_playlist.json" "$work/song.json" "$index"
measure() {  # label, then the command; prints "label wall cpu rss_kb"
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
  read -r wall user sys rss < "$work/t"
  echo "$label $wall $(echo "$user + $sys" | bc) $rss"
}
echo "# CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; song $index of default_playlist.json"
"$old" render "$work/song.json" -o "$work/old.wav" --midi "$work/old.mid" --force >/dev/null 2>&1
"$new" render "$work/song.json" -o "$work/new.wav" --midi "$work/new.mid" --force >/dev/null 2>&1
echo "# audio: $(soxi -D "$work/new.wav" 2>/dev/null || python3 -c "import wave,sys; w=wave.open(sys.argv[1]); print(round(w.getnframes()/w.getframerate(),1))" "$work/new.wav") s"
for i in $(seq "$runs"); do
  measure render-old "$old" render "$work/song.json" -o "$work/old.wav" --force
  measure fluidsynth-old fluidsynth -ni -R 0 -C 0 -F "$work/fs-old.wav" "$sf" "$work/old.mid"
  measure render-new "$new" render "$work/song.json" -o "$work/new.wav" --force
  measure fluidsynth-new fluidsynth -ni -R 0 -C 0 -F "$work/fs-new.wav" "$sf" "$work/new.mid"
done | tee "$work/all"
echo "# medians: label wall cpu rss_kb"
for l in render-old fluidsynth-old render-new fluidsynth-new; do
  grep "^$l " "$work/all" | python3 -c "
import sys,statistics as s
rows=[l.split() for l in sys.stdin]
print(rows[0][0], *[round(s.median(float(r[i]) for r in rows),2) for i in (1,2,3)])"
done
