#!/usr/bin/env bash
# Render and playlist cost of two builds, measured alternately in one run (so both see the
# same machine state): wall, CPU (user + sys) and peak RSS from /usr/bin/time.
#   scripts/bench/side-by-side.sh OLD_BINARY NEW_BINARY [render runs] [playlist runs]
set -euo pipefail
old="$(realpath "$1")"; new="$(realpath "$2")"; rr="${3:-7}"; pr="${4:-3}"
work="$(mktemp -d /tmp/side-by-side.XXXXXX)"; trap 'rm -rf "$work"' EXIT
python3 -c "import json,sys; json.dump(json.load(open(sys.argv[1]))[0], open(sys.argv[2], 'w'))" \
  "$(dirname "$0")/../../../shared/reference/default_playlist.json" "$work/song.json"
measure() {  # label, then the command; prints "label wall user sys rss_kb"
  local label="$1"; shift
  /usr/bin/time -f "$label %e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
  cat "$work/t"
}
echo "# CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
for i in $(seq "$rr"); do
  measure render-old "$old" render "$work/song.json" -o "$work/old.wav" --force
  measure render-new "$new" render "$work/song.json" -o "$work/new.wav" --force
done
for i in $(seq "$pr"); do
  rm -rf "$work/po" "$work/pn"
  measure playlist-old "$old" playlist -n 10 --seed 21 --jobs 2 -o "$work/po"
  measure playlist-new "$new" playlist -n 10 --seed 21 --jobs 2 -o "$work/pn"
done
cmp "$work/old.wav" "$work/new.wav" && diff -r "$work/po" "$work/pn" >/dev/null && echo "# outputs byte-identical"
