#!/usr/bin/env python3
"""Draws the melody of a karaoke MIDI file (lofi-render lyrics --midi) as an SVG piano roll
with each lyric syllable (FF 05) under the note it starts: the README's picture of words
carried by the melody.  usage: scripts/lyrics-roll.py SONG.mid OUT.svg [FIRST_MEASURE] [MEASURES]"""
import struct, sys
from xml.sax.saxutils import escape

def vlq(body, i):
    value = 0
    while True:
        b = body[i]; i += 1
        value = value << 7 | b & 0x7F
        if b < 0x80: return value, i

def melody_track(data):
    """(division, notes [(start, end, pitch)], lyrics [(tick, text)]) of the track named melody."""
    assert data[:4] == b'MThd', 'not a Standard MIDI File'
    division = struct.unpack('>H', data[12:14])[0]
    pos = 14
    while pos + 8 <= len(data):
        kind, size = data[pos:pos + 4], struct.unpack('>I', data[pos + 4:pos + 8])[0]
        body, pos = data[pos + 8:pos + 8 + size], pos + 8 + size
        if kind != b'MTrk': continue
        name, notes, lyrics, on, t, i, status = '', [], [], {}, 0, 0, 0
        while i < len(body):
            delta, i = vlq(body, i); t += delta
            if body[i] >= 0x80: status = body[i]; i += 1
            if status == 0xFF:
                meta = body[i]; length, i = vlq(body, i + 1)
                text = body[i:i + length].decode('utf-8', 'replace'); i += length
                if meta == 0x03: name = text
                if meta == 0x05: lyrics.append((t, text))
            elif status in (0xF0, 0xF7):
                length, i = vlq(body, i); i += length
            else:
                k = status & 0xF0
                a = body[i]; b = body[i + 1] if k not in (0xC0, 0xD0) else 0
                i += 1 if k in (0xC0, 0xD0) else 2
                if k == 0x90 and b > 0: on.setdefault(a, t)
                elif k in (0x80, 0x90) and a in on: notes.append((on.pop(a), t, a))
        if name == 'melody': return division, notes, lyrics
    sys.exit('no track named melody')

def main():
    src, dst = sys.argv[1], sys.argv[2]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    division, notes, lyrics = melody_track(open(src, 'rb').read())
    bar = 4 * division
    lo, hi = first * bar, (first + count) * bar
    shown = [n for n in notes if lo <= n[0] < hi and not any(m[0] == n[0] and m[2] < n[2] for m in notes)]
    low, high = min(n[2] for n in shown) - 1, max(n[2] for n in shown) + 1
    width, key = 1000, 9
    x = lambda tick: 10 + (tick - lo) * (width - 20) / (hi - lo)
    roll = (high - low + 1) * key
    height = roll + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#282c34"/>']
    for m in range(count + 1):
        out.append(f'<line x1="{x(lo + m * bar):.1f}" y1="0" x2="{x(lo + m * bar):.1f}" y2="{roll}" stroke="#4b5263"/>')
    for start, end, pitch in shown:
        y = (high - pitch) * key
        out.append(f'<rect x="{x(start):.1f}" y="{y}" width="{max(2, x(min(end, hi)) - x(start) - 1):.1f}" height="{key - 1}" rx="2" fill="#e06c75"/>')
    shown_lyrics = [(t, s) for t, s in lyrics if lo <= t < hi]
    for k, (tick, text) in enumerate(shown_lyrics):
        # alternate rows so that neighbouring syllables never overlap
        out.append(f'<text x="{x(tick):.1f}" y="{roll + (20 if k % 2 == 0 else 38)}" fill="#e5c07b">{escape(text.strip())}</text>')
    out.append('</svg>')
    open(dst, 'w').write('\n'.join(out) + '\n')

main()
