/// The fixed MIDI file of the POP909 target's song folder: format 1, 480 ticks a quarter, a
/// conductor track at 96 bpm and a MELODY track of 128 eighth notes climbing a C major scale,
/// so that annotations anywhere in its 40 s find notes to meet.
enum FuzzMIDI {
    static let bytes: [UInt8] = {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            Array(type.utf8) + [UInt8(body.count >> 24 & 0xFF), UInt8(body.count >> 16 & 0xFF), UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)] + body
        }
        func vlq(_ value: Int) -> [UInt8] {
            var out = [UInt8(value & 0x7F)], v = value >> 7
            while v > 0 { out.insert(UInt8(v & 0x7F | 0x80), at: 0); v >>= 7 }
            return out
        }
        let micros = 625_000  // 96 bpm
        let conductor: [UInt8] = [0, 0xFF, 0x51, 3, UInt8(micros >> 16), UInt8(micros >> 8 & 0xFF), UInt8(micros & 0xFF), 0, 0xFF, 0x2F, 0]
        var melody: [UInt8] = [0, 0xFF, 0x03, 6] + Array("MELODY".utf8)
        let scale = [60, 62, 64, 65, 67, 69, 71, 72]
        for i in 0..<128 {
            let key = UInt8(scale[i % scale.count])
            melody += [0, 0x90, key, 80] + vlq(240) + [0x80, key, 0]
        }
        melody += [0, 0xFF, 0x2F, 0]
        return chunk("MThd", [0, 1, 0, 2, 0x01, 0xE0]) + chunk("MTrk", conductor) + chunk("MTrk", melody)
    }()
}
