"""What the original Lofi server would answer for each golden song: its pretty-printing
(jsonpickle's json.dumps, then the string replacements of its output.py, as published)
and Flask's jsonify of that string. Re-stated here from the published description so the
Swift server is checked against Python's own json module, not against itself.

Prints a JSON array of {"query": ..., "body": ...}: the query as a browser sends it
(JSON.stringify's compact form, brackets and commas raw) and the expected body."""
import json
import sys

golden = json.load(open(sys.argv[1]))
out = []
for case in golden:
    song = case["expected"]
    text = json.dumps({k: song[k] for k in ["title", "key", "mode", "bpm", "energy", "valence", "chords", "melodies"]})
    text = (text.replace(', "', ',\n  "').replace("{", "{\n  ").replace("}", "\n}")
            .replace("[[", "[\n    [").replace("]]", "]\n  ]").replace("], [", "],\n    ["))
    out.append({"query": json.dumps(case["z"], separators=(",", ":")), "body": json.dumps(text) + "\n"})
json.dump(out, sys.stdout)
