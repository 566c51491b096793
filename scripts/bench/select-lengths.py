#!/usr/bin/env python3
"""Copies the samples of a dataset folder with a given chord count into a new folder.

usage: select-lengths.py IN OUT N [N ...]
e.g.   select-lengths.py dataset/built/pop909 /tmp/len8 8   (the 8-measure windows of BENCHMARKS.md)
"""
import json, os, shutil, sys

src, out, counts = sys.argv[1], sys.argv[2], {int(n) for n in sys.argv[3:]}
os.makedirs(out, exist_ok=True)
kept = 0
for name in sorted(os.listdir(src)):
    if name.endswith(".json"):
        with open(os.path.join(src, name)) as f:
            if len(json.load(f)["chords"]) in counts:
                shutil.copyfile(os.path.join(src, name), os.path.join(out, name))
                kept += 1
print(f"{kept} samples with {sorted(counts)} chords copied into {out}")
