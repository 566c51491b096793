#!/usr/bin/env bash
# Integrated loudness and true peak of audio files by ffmpeg's ebur128 filter, an external
# meter independent of the libebur128 the renderer uses: one line per file.
# usage: scripts/bench/ffmpeg-loudness.sh FILE...
set -euo pipefail
command -v ffmpeg >/dev/null || { echo "ffmpeg-loudness: needs ffmpeg (apt-get install ffmpeg)" >&2; exit 1; }
for f in "$@"; do
  summary=$(ffmpeg -hide_banner -nostats -i "$f" -af ebur128=peak=true -f null - 2>&1 | sed -n '/Summary:/,$p')
  i=$(echo "$summary" | awk '/ I:/ {print $2}')
  p=$(echo "$summary" | awk '/Peak:/ {print $2}')
  echo "$f: $i LUFS, true peak $p dBTP"
done
