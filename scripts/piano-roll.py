#!/usr/bin/env python3
"""Draws the first measures of an arranged MIDI file as an SVG piano roll, one colour per
part, the drums in their own lane below: the README's picture of what the arranger plays.
usage: scripts/piano-roll.py SONG.mid OUT.svg [MEASURES]"""
import struct, sys

def tracks(data):
    assert data[:4] == b'MThd'
    division = struct.unpack('>H', data[12:14])[0]
    pos, out = 14, []
    while pos + 8 <= len(data):
        kind, size = data[pos:pos + 4], struct.unpack('>I', data[pos + 4:pos + 8])[0]
        body, pos = data[pos + 8:pos + 8 + size], pos + 8 + size
        if kind != b'MTrk':
            continue
        name, notes, on, t, i, status = '', [], {}, 0, 0, 0
        while i < len(body):
            delta = 0
            while True:
                b = body[i]; i += 1
                delta = delta << 7 | b & 0x7F
                if b < 0x80: break
            t += delta
            if body[i] >= 0x80:
                status = body[i]; i += 1
            if status == 0xFF:
                meta, length = body[i], body[i + 1]; i += 2
                if meta == 0x03: name = body[i:i + length].decode('utf-8', 'replace')
                i += length
            elif status in (0xF0, 0xF7):
                length = body[i]; i += 1 + length
            else:
                kind = status & 0xF0
                a = body[i]; b = body[i + 1] if kind not in (0xC0, 0xD0) else 0
                i += 1 if kind in (0xC0, 0xD0) else 2
                if kind == 0x90 and b > 0: on[a] = (t, b)
                elif kind in (0x80, 0x90) and a in on:
                    start, velocity = on.pop(a); notes.append((start, t, a, velocity))
        out.append((name, notes))
    return division, out

def main():
    src, dst = sys.argv[1], sys.argv[2]
    measures = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    division, parts = tracks(open(src, 'rb').read())
    end = measures * 4 * division
    colours = {'chords': '#d9a05b', 'bass': '#7a9e7e', 'melody': '#e06c75', 'arpeggio': '#61afef', 'drums': '#abb2bf'}
    pitched = [n for name, notes in parts if name != 'drums' for n in notes if n[0] < end]
    low, high = min(n[2] for n in pitched), max(n[2] for n in pitched)
    width, key, lane = 960, 5, 60
    roll = (high - low + 1) * key
    height = roll + lane + 40
    x = lambda tick: 10 + (width - 20) * tick / end
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<rect width="{width}" height="{height}" fill="#282c34"/>']
    for m in range(measures + 1):
        svg.append(f'<line x1="{x(m * 4 * division):.1f}" y1="0" x2="{x(m * 4 * division):.1f}" y2="{roll + lane}" stroke="#3e4451"/>')
    for name, notes in parts:
        colour = colours.get(name, '#c678dd')
        for start, stop, pitch, velocity in notes:
            if start >= end: continue
            if name == 'drums':
                y = roll + 4 + (pitch - 35) % 14 * 4
                h = 3
            else:
                y, h = (high - pitch) * key, key - 1
            opacity = 0.35 + 0.65 * velocity / 127
            svg.append(f'<rect x="{x(start):.1f}" y="{y}" width="{max(1.5, x(min(stop, end)) - x(start)):.1f}" height="{h}" '
                       f'fill="{colour}" fill-opacity="{opacity:.2f}"/>')
    for k, name in enumerate(['chords', 'bass', 'melody', 'arpeggio', 'drums']):
        svg.append(f'<rect x="{12 + k * 110}" y="{height - 26}" width="12" height="12" fill="{colours[name]}"/>'
                   f'<text x="{30 + k * 110}" y="{height - 16}" fill="#dcdfe4" font-family="sans-serif" font-size="13">{name}</text>')
    svg.append('</svg>')
    open(dst, 'w').write('\n'.join(svg) + '\n')

main()
