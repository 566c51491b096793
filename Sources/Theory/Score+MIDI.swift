/// Score → Standard MIDI File per the MIDI contract of ARCHITECTURE.md: Type 1, 480 PPQ,
/// a conductor track (title, tempo, 4/4, key signature, section markers) then one named
/// track per part with program, volume and pan.
extension Score {
    public var midiFile: MIDIFile {
        var conductor = MIDITrack()
        conductor.events.append(MIDIEvent(tick: 0, .meta(MIDIMeta.trackName, Array(title.utf8))))
        let microsPerQuarter = Int((60_000_000.0 / bpm).rounded())
        conductor.events.append(MIDIEvent(tick: 0, .meta(MIDIMeta.tempo, [
            UInt8((microsPerQuarter >> 16) & 0xFF), UInt8((microsPerQuarter >> 8) & 0xFF), UInt8(microsPerQuarter & 0xFF),
        ])))
        // 4/4, 24 MIDI clocks per metronome click, 8 thirty-seconds per quarter.
        conductor.events.append(MIDIEvent(tick: 0, .meta(MIDIMeta.timeSignature, [4, 2, 24, 8])))
        conductor.events.append(MIDIEvent(tick: 0, .meta(MIDIMeta.keySignature, keySignatureBytes)))
        var previous: Section?
        for m in measures where m.section != previous {
            conductor.events.append(MIDIEvent(tick: m.index * Score.ticksPerMeasure, .meta(MIDIMeta.marker, Array(m.section.rawValue.utf8))))
            previous = m.section
        }

        var tracks = [conductor]
        for part in parts {
            var t = MIDITrack()
            let ch = part.channel
            t.events.reserveCapacity(part.notes.count * 2 + 4)
            t.events.append(MIDIEvent(tick: 0, .meta(MIDIMeta.trackName, Array(part.role.rawValue.utf8))))
            t.events.append(MIDIEvent(tick: 0, .programChange(channel: ch, program: part.program)))
            t.events.append(MIDIEvent(tick: 0, .controlChange(channel: ch, controller: 7, value: part.volume)))
            t.events.append(MIDIEvent(tick: 0, .controlChange(channel: ch, controller: 10, value: part.pan)))
            // Note-offs sort before note-ons at the same tick so a repeated pitch re-strikes cleanly.
            var timed: [(tick: Int, order: Int, message: MIDIMessage)] = []
            timed.reserveCapacity(part.notes.count * 2)
            // A syllable comes just before the note it is sung on (order 1 < note-on's 2).
            if part.role == .melody {
                for l in lyrics { timed.append((l.tick, 1, .meta(MIDIMeta.lyric, Array(l.text.utf8)))) }
            }
            for n in part.notes {
                timed.append((n.start, 2, .noteOn(channel: ch, key: n.pitch, velocity: n.velocity)))
                timed.append((n.end, 0, .noteOff(channel: ch, key: n.pitch, velocity: 64)))
            }
            timed.sort { ($0.tick, $0.order, $0.message.sortKey) < ($1.tick, $1.order, $1.message.sortKey) }
            for e in timed { t.events.append(MIDIEvent(tick: e.tick, e.message)) }
            tracks.append(t)
        }
        // Every track ends at the same tick: the end of the form or the last ringing note.
        for i in tracks.indices { tracks[i].endTick = endTick }
        return MIDIFile(format: 1, division: Score.ticksPerQuarter, tracks: tracks)
    }

    /// The bytes of the Standard MIDI File.
    public var midiData: [UInt8] { get throws(MIDIWriteError) { try MIDIWriter.data(midiFile) } }

    /// Key signature meta bytes: accidentals of the parent major scale, and the minor flag
    /// for Aeolian (the one mode a key signature can name); other modes use the parent major.
    var keySignatureBytes: [UInt8] {
        [UInt8(bitPattern: Int8(key.signature)), key.mode == .aeolian ? 1 : 0]
    }
}

extension MIDIMessage {
    /// Tie-break for equal ticks: by key number, for a stable byte-identical order.
    var sortKey: Int {
        switch self {
        case let .noteOn(_, k, _), let .noteOff(_, k, _): k
        default: 0
        }
    }
}
