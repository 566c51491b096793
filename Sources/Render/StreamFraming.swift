/// Cuts an encoder's byte stream into the units a listener can start at: MP3 frames or
/// Ogg pages. A listener who joins mid-stream gets the stream's header units first (Ogg's
/// Vorbis headers), then whole units from the live point; no one starts mid-frame.
public struct StreamFraming: Sendable {
    public struct Unit: Sendable, Equatable {
        public var bytes: [UInt8]
        /// Part of the stream's header, which every listener needs before any audio.
        public var isHeader: Bool
    }

    public let format: AudioFormat
    private var buffer: [UInt8] = []
    private var sawAudio = false

    public init(format: AudioFormat) {
        precondition(format == .mp3 || format == .ogg, "MP3 or Ogg")
        self.format = format
    }

    /// Adds encoder output; returns the units completed by it.
    public mutating func push(_ bytes: [UInt8]) -> [Unit] {
        buffer += bytes
        var units: [Unit] = []
        var at = 0
        while true {
            let step = format == .mp3 ? nextMP3(at) : nextOgg(at)
            switch step {
            case .needMore: break
            case .skip(let n): at += n; continue
            case .unit(let n, let header, let keep):
                if keep { units.append(Unit(bytes: Array(buffer[at..<(at + n)]), isHeader: header)) }
                at += n
                continue
            }
            break
        }
        buffer.removeFirst(at)
        return units
    }

    enum Step { case needMore, skip(Int), unit(Int, header: Bool, keep: Bool) }

    // MARK: MP3

    static let mpeg1Rates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    static let mpeg2Rates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]

    /// An ID3v2 tag or a VBR ("Xing"/"Info") frame is skipped: its counts were patched in
    /// at the end of a file, which a stream never has. Any other Layer III frame is a unit.
    func nextMP3(_ at: Int) -> Step {
        let left = buffer.count - at
        guard left >= 10 else { return .needMore }
        let b = buffer[at..<(at + 10)].map { Int($0) }
        if b[0] == 0x49, b[1] == 0x44, b[2] == 0x33 {            // "ID3"
            guard b[6...9].allSatisfy({ $0 < 0x80 }) else { return .skip(1) }
            let size = b[6] << 21 | b[7] << 14 | b[8] << 7 | b[9]
            let total = 10 + size + (b[5] & 0x10 != 0 ? 10 : 0)
            return left >= total ? .unit(total, header: false, keep: false) : .needMore
        }
        guard b[0] == 0xFF, b[1] & 0xE0 == 0xE0 else { return .skip(1) }
        let version = (b[1] >> 3) & 3, layer = (b[1] >> 1) & 3
        let rateIndex = b[2] >> 4, srIndex = (b[2] >> 2) & 3, padding = (b[2] >> 1) & 1
        guard version != 1, layer == 1, (1...14).contains(rateIndex), srIndex < 3 else { return .skip(1) }
        let mpeg1 = version == 3
        let sampleRate = [44100, 48000, 32000][srIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2)
        let kbps = (mpeg1 ? Self.mpeg1Rates : Self.mpeg2Rates)[rateIndex]
        let length = (mpeg1 ? 144_000 : 72_000) * kbps / sampleRate + padding
        guard length > 10 else { return .skip(1) }
        guard left >= length else { return .needMore }
        let mono = b[3] >> 6 == 3
        let side = 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17))
        var vbrTag = false
        if side + 4 <= length {
            let tag = Array(buffer[(at + side)..<(at + side + 4)])
            vbrTag = tag == Array("Xing".utf8) || tag == Array("Info".utf8)
        }
        return .unit(length, header: false, keep: !vbrTag)
    }

    // MARK: Ogg

    /// A page: "OggS", version 0, then the granule position, and the segment table that
    /// gives the body's length. Pages before the first with a granule position are headers.
    mutating func nextOgg(_ at: Int) -> Step {
        let left = buffer.count - at
        guard left >= 27 else { return .needMore }
        guard buffer[at] == 0x4F, buffer[at + 1] == 0x67, buffer[at + 2] == 0x67, buffer[at + 3] == 0x53, buffer[at + 4] == 0 else {
            return .skip(1)
        }
        let segments = Int(buffer[at + 26])
        guard left >= 27 + segments else { return .needMore }
        let body = buffer[(at + 27)..<(at + 27 + segments)].reduce(0) { $0 + Int($1) }
        let length = 27 + segments + body
        guard left >= length else { return .needMore }
        var granule: UInt64 = 0
        for k in 0..<8 { granule |= UInt64(buffer[at + 6 + k]) << (8 * UInt64(k)) }
        let header = !sawAudio && granule == 0
        if !header { sawAudio = true }
        return .unit(length, header: header, keep: true)
    }
}
