import Foundation
@testable import Render
import Testing
import TestScratch

/// The radio's encoder: bytes handed out block by block, decoded by libsndfile's readers
/// (mpg123, libvorbis: other code than the encoders) back to the tone that went in.
@Suite struct StreamEncoderTests {
    let scratch = ScratchSpace()

    /// `seconds` of a 440 Hz tone at −12 dBFS peak, in blocks of a quarter second.
    static func tone(seconds: Double, rate: Double = 44100) -> [StereoBuffer] {
        let block = Int(rate / 4), blocks = Int(seconds * 4)
        return (0..<blocks).map { b in
            let samples = (0..<block).map { i in Float(0.25 * sin(2 * Double.pi * 440 * Double(b * block + i) / rate)) }
            return StereoBuffer(left: samples, right: samples, sampleRate: rate)
        }
    }

    /// Zero crossings per second of the left channel, over the middle of the signal.
    static func frequency(_ b: StereoBuffer) -> Double {
        let start = b.frames / 4, end = 3 * b.frames / 4
        var crossings = 0
        for i in (start + 1)..<end where (b.left[i - 1] < 0) != (b.left[i] < 0) { crossings += 1 }
        return Double(crossings) / 2 / (Double(end - start - 1) / b.sampleRate)
    }

    static func rms(_ b: StereoBuffer) -> Double {
        let start = b.frames / 4, end = 3 * b.frames / 4
        return (b.left[start..<end].reduce(0) { $0 + Double($1) * Double($1) } / Double(end - start)).squareRoot()
    }

    @Test(arguments: [AudioFormat.mp3, .ogg])
    func aStreamDecodesToTheToneThatWentIn(format: AudioFormat) throws {
        let encoder = try StreamEncoder(format: format, title: "Tone")
        var framing = StreamFraming(format: format)
        var bytes: [UInt8] = []
        var handedOutEarly = 0
        for (i, block) in Self.tone(seconds: 10).enumerated() {
            let out = framing.push(try encoder.encode(block)).flatMap(\.bytes)
            bytes += out
            if i < 20 { handedOutEarly += out.count }
        }
        bytes += framing.push(encoder.finish()).flatMap(\.bytes)
        // Bytes come out as the audio goes in, not all at the end.
        #expect(handedOutEarly > bytes.count / 4, "\(handedOutEarly) of \(bytes.count) bytes in the first 5 s")
        if format == .mp3 {
            // A stream starts on a frame, with no ID3 tag and no VBR ("Info") frame: their
            // counts belong to a finished file and would be stale for a listener.
            let head = String(decoding: bytes.prefix(400), as: UTF8.self)
            #expect(bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
            #expect(!head.contains("Info") && !head.contains("Xing") && !head.contains("ID3"))
        } else {
            #expect(Array(bytes.prefix(4)) == Array("OggS".utf8))
        }
        let url = scratch.path("stream.\(format.fileExtension)")
        try Data(bytes).write(to: url)
        let (decoded, _) = try AudioFileReader.read(url.path)
        #expect(abs(Double(decoded.frames) - 441_000) < 4_000, "\(decoded.frames) frames")
        #expect(abs(Self.frequency(decoded) - 440) < 1, "\(Self.frequency(decoded)) Hz")
        #expect(abs(Self.rms(decoded) - 0.25 / 2.0.squareRoot()) < 0.01, "rms \(Self.rms(decoded))")
    }

    /// A listener who joins late gets the header units and then units from the middle:
    /// that too decodes, to the tone, for about the time that is left.
    @Test(arguments: [AudioFormat.mp3, .ogg])
    func aListenerJoiningMidStreamHearsTheRest(format: AudioFormat) throws {
        let encoder = try StreamEncoder(format: format, title: "Tone")
        var framing = StreamFraming(format: format)
        var units: [StreamFraming.Unit] = []
        for block in Self.tone(seconds: 10) { units += framing.push(try encoder.encode(block)) }
        units += framing.push(encoder.finish())
        let headers = units.filter(\.isHeader), audio = units.filter { !$0.isHeader }
        // Ogg opens with the Vorbis header pages; MP3 needs none.
        #expect(format == .mp3 ? headers.isEmpty : !headers.isEmpty && units.prefix(headers.count).allSatisfy(\.isHeader))
        let late = headers.flatMap(\.bytes) + audio[(audio.count / 2)...].flatMap(\.bytes)
        let url = scratch.path("late.\(format.fileExtension)")
        try Data(late).write(to: url)
        let (decoded, _) = try AudioFileReader.read(url.path)
        #expect(abs(decoded.duration - 5) < 1, "\(decoded.duration) s")
        #expect(abs(Self.frequency(decoded) - 440) < 1, "\(Self.frequency(decoded)) Hz")
    }
}
