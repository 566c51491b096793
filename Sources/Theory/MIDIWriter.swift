/// Serialises a `MIDIFile` as a Standard MIDI File. Events of a track are written in order of
/// tick (stable, so equal ticks keep their given order), each track closed by end-of-track.
/// A value the format cannot hold (a delta time or a meta length above 2²⁸ − 1, a track
/// above 4 GiB) is refused rather than silently truncated into a corrupt file.
public enum MIDIWriter {
    public static func data(_ file: MIDIFile) throws(MIDIWriteError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + file.tracks.reduce(0) { $0 + $1.events.count * 4 })
        out += Array("MThd".utf8)
        append32(6, to: &out)
        append16(file.format, to: &out)
        append16(file.tracks.count, to: &out)
        append16(file.division, to: &out)
        var body: [UInt8] = []
        for track in file.tracks {
            body.removeAll(keepingCapacity: true)
            let events = track.events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
            var last = 0
            var runningStatus: UInt8? = nil
            for (_, e) in events {
                try appendVLQ(max(0, e.tick - last), to: &body, what: "delta time at tick \(e.tick)")
                last = max(last, e.tick)
                try encode(e.message, into: &body, runningStatus: &runningStatus)
            }
            try appendVLQ(max(0, (track.endTick ?? last) - last), to: &body, what: "end-of-track delta")
            guard body.count <= Int(UInt32.max) else { throw MIDIWriteError("a track of \(body.count) bytes is over the format's 4 GiB") }
            body += [0xFF, MIDIMeta.endOfTrack, 0x00]
            out += Array("MTrk".utf8)
            append32(body.count, to: &out)
            out += body
        }
        return out
    }

    /// Channel messages use running status (the status byte is omitted when it repeats),
    /// which roughly halves the size of dense note data.
    static func encode(_ m: MIDIMessage, into b: inout [UInt8], runningStatus: inout UInt8?) throws(MIDIWriteError) {
        func channel(_ kind: UInt8, _ ch: Int, _ data: UInt8...) {
            let status = kind | UInt8(ch & 0x0F)
            if runningStatus != status { b.append(status); runningStatus = status }
            b += data
        }
        func d(_ x: Int) -> UInt8 { UInt8(x & 0x7F) }
        switch m {
        case let .noteOff(ch, k, v): channel(0x80, ch, d(k), d(v))
        case let .noteOn(ch, k, v): channel(0x90, ch, d(k), d(v))
        case let .polyPressure(ch, k, p): channel(0xA0, ch, d(k), d(p))
        case let .controlChange(ch, c, v): channel(0xB0, ch, d(c), d(v))
        case let .programChange(ch, p): channel(0xC0, ch, d(p))
        case let .channelPressure(ch, p): channel(0xD0, ch, d(p))
        case let .pitchBend(ch, v): channel(0xE0, ch, d(v), d(v >> 7))
        case let .meta(type, data):
            runningStatus = nil
            b += [0xFF, type]
            try appendVLQ(data.count, to: &b, what: "meta event length")
            b += data
        case let .sysex(status, data):
            runningStatus = nil
            b.append(status)
            try appendVLQ(data.count, to: &b, what: "sysex length")
            b += data
        }
    }

    /// The largest variable-length quantity: four bytes of seven bits.
    public static let maxVLQ = 0x0FFF_FFFF

    static func appendVLQ(_ value: Int, to b: inout [UInt8], what: String) throws(MIDIWriteError) {
        guard (0...maxVLQ).contains(value) else {
            throw MIDIWriteError("\(what) is \(value), above the largest a MIDI file can hold (\(maxVLQ))")
        }
        var v = UInt32(value)
        var stack: [UInt8] = [UInt8(v & 0x7F)]
        v >>= 7
        while v > 0 {
            stack.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        b += stack.reversed()
    }

    static func append32(_ v: Int, to b: inout [UInt8]) {
        b += [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func append16(_ v: Int, to b: inout [UInt8]) {
        b += [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}

/// A value a Standard MIDI File cannot represent.
public struct MIDIWriteError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
