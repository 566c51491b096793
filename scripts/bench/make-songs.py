#!/usr/bin/env python3
"""Writes N random valid songs (seeded) as one JSON file each, for benchmarks.

usage: make-songs.py N OUTDIR [SEED]
Chord counts 4..16 like the model's output; values as the song JSON allows.
"""
import json, os, random, sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
os.makedirs(out, exist_ok=True)
for i in range(n):
    k = rng.randint(4, 16)
    song = {
        "key": rng.randint(1, 12), "mode": rng.randint(1, 7), "bpm": rng.randint(70, 100),
        "energy": round(rng.random(), 3), "valence": round(rng.random(), 3),
        "chords": [rng.randint(1, 7) for _ in range(k)],
        "melodies": [[rng.choice([0] + list(range(1, 15))) for _ in range(8)] for _ in range(k)],
    }
    with open(os.path.join(out, f"{i:05d}.json"), "w") as f:
        json.dump(song, f)
