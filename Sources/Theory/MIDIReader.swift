/// Why a MIDI file could not be read, with the byte offset where it went wrong.
public struct MIDIReadError: Error, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "\(reason) (at byte \(offset))" }
}

/// Parses Standard MIDI Files of format 0, 1 or 2: running status, meta and sysex events
/// (including F7 escapes), unknown chunks skipped. End-of-track is consumed, not stored.
public enum MIDIReader {
    public static func read(_ bytes: [UInt8]) throws(MIDIReadError) -> MIDIFile {
        var r = ByteCursor(bytes: bytes)
        guard try r.tag() == "MThd" else { throw r.error("not a Standard MIDI File (no MThd header)") }
        let headerLength = try r.u32()
        guard headerLength >= 6 else { throw r.error("MThd header is \(headerLength) bytes, expected 6") }
        let format = try r.u16()
        let trackCount = try r.u16()
        let division = try r.u16()
        try r.skip(headerLength - 6)
        guard format <= 2 else { throw r.error("unknown SMF format \(format)") }

        var tracks: [MIDITrack] = []
        while tracks.count < trackCount {
            let tag = try r.tag()
            let length = try r.u32()
            guard length <= r.remaining else { throw r.error("\(tag) chunk of \(length) bytes runs past the end of the file") }
            if tag != "MTrk" { try r.skip(length); continue }
            let end = r.position + length
            tracks.append(try readTrack(&r, end: end))
            r.position = end
        }
        return MIDIFile(format: format, division: division, tracks: tracks)
    }

    static func readTrack(_ r: inout ByteCursor, end: Int) throws(MIDIReadError) -> MIDITrack {
        var events: [MIDIEvent] = []
        var tick = 0
        var running: UInt8? = nil
        while r.position < end {
            tick += try r.vlq()
            var status = try r.u8()
            var firstData: UInt8? = nil
            if status < 0x80 {
                guard let rs = running else { throw r.error("data byte with no running status") }
                firstData = status
                status = rs
            }
            switch status {
            case 0xFF:
                let type = try r.u8()
                let data = try r.bytes(try r.vlq())
                if type == MIDIMeta.endOfTrack { return MIDITrack(events: events, endTick: tick) }
                events.append(MIDIEvent(tick: tick, .meta(type, data)))
            case 0xF0, 0xF7:
                // Sysex cancels running status.
                running = nil
                events.append(MIDIEvent(tick: tick, .sysex(status, try r.bytes(try r.vlq()))))
            case 0x80...0xEF:
                running = status
                let ch = Int(status & 0x0F)
                let a: Int
                if let f = firstData { a = Int(f) } else { a = Int(try r.u8()) }
                guard a < 0x80 else { throw r.error("status byte where a data byte belongs") }
                func second(_ r: inout ByteCursor) throws(MIDIReadError) -> Int {
                    let b = try r.u8()
                    guard b < 0x80 else { throw r.error("status byte where a data byte belongs") }
                    return Int(b)
                }
                let message: MIDIMessage
                switch status & 0xF0 {
                case 0x80: message = .noteOff(channel: ch, key: a, velocity: try second(&r))
                case 0x90: message = .noteOn(channel: ch, key: a, velocity: try second(&r))
                case 0xA0: message = .polyPressure(channel: ch, key: a, pressure: try second(&r))
                case 0xB0: message = .controlChange(channel: ch, controller: a, value: try second(&r))
                case 0xC0: message = .programChange(channel: ch, program: a)
                case 0xD0: message = .channelPressure(channel: ch, pressure: a)
                default: message = .pitchBend(channel: ch, value: a | (try second(&r) << 7))
                }
                events.append(MIDIEvent(tick: tick, message))
            default:
                throw r.error("system message 0x\(String(status, radix: 16, uppercase: true)) is not allowed in a file")
            }
        }
        // A track without end-of-track: keep what was read (many real files do this).
        return MIDITrack(events: events, endTick: nil)
    }
}

/// Big-endian reads over a byte array with bounds checks.
struct ByteCursor {
    let bytes: [UInt8]
    var position = 0

    var remaining: Int { bytes.count - position }

    func error(_ reason: String) -> MIDIReadError { MIDIReadError(offset: position, reason: reason) }

    mutating func u8() throws(MIDIReadError) -> UInt8 {
        guard position < bytes.count else { throw error("unexpected end of file") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(MIDIReadError) -> Int { try Int(u8()) << 8 | Int(u8()) }

    mutating func u32() throws(MIDIReadError) -> Int { try u16() << 16 | u16() }

    mutating func tag() throws(MIDIReadError) -> String {
        String(decoding: try bytes(4), as: UTF8.self)
    }

    mutating func bytes(_ n: Int) throws(MIDIReadError) -> [UInt8] {
        guard n >= 0, n <= remaining else { throw error("\(n) bytes announced but \(remaining) left") }
        defer { position += n }
        return Array(bytes[position..<position + n])
    }

    mutating func skip(_ n: Int) throws(MIDIReadError) {
        guard n >= 0, n <= remaining else { throw error("unexpected end of file") }
        position += n
    }

    /// Variable-length quantity, at most four bytes.
    mutating func vlq() throws(MIDIReadError) -> Int {
        var v = 0
        for _ in 0..<4 {
            let b = try u8()
            v = (v << 7) | Int(b & 0x7F)
            if b & 0x80 == 0 { return v }
        }
        throw error("variable-length number longer than four bytes")
    }
}
