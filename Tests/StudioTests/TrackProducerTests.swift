import Foundation
import Testing
import TestScratch
@testable import Studio

/// One track through the library: the files it writes, re-read by other code paths.
@Suite(.serialized) struct TrackProducerTests {
    static let song = Song(title: "Producer", key: 3, mode: 6, bpm: 92, energy: 0.4, valence: 0.3,
                           chords: [1, 6, 4, 5], melodies: [[1, 2, 3, 0, 5, 0, 3, 2], [1, 1, 0, 0, 6, 5, 0, 0], [4, 0, 4, 0, 3, 0, 2, 0], [5, 0, 0, 0, 7, 0, 0, 0]])

    let scratch = ScratchSpace()
    func temp() throws -> URL { try scratch.folder("track") }

    @Test func aTrackIsItsAudioItsArrangementAndItsSong() throws {
        let dir = try temp()
        var settings = AudioSettings()
        settings.stems = true
        let producer = TrackProducer(settings: settings, soundfont: try settings.locateSoundfont())
        let out = TrackProducer.Outputs(audio: dir.appendingPathComponent("t.flac"), midi: dir.appendingPathComponent("t.mid"),
                                        json: dir.appendingPathComponent("t.json"))
        let result = try producer.produce(Self.song, seed: 5, to: out)
        // The MIDI is the arranger's file for that seed, the JSON the song itself.
        let score = Arranger().arrange(Self.song, seed: 5)
        #expect(try Data(contentsOf: out.midi!) == Data(try score.midiData))
        // (ending "}\n", the form every writer of song files uses, so `cat` shows it whole)
        let json = try Data(contentsOf: out.json!)
        #expect(try Song.decode(json) == Self.song)
        #expect(json.suffix(2) == Data("}\n".utf8))
        // The audio, read back by libsndfile: FLAC (by extension), the frames reported, the
        // arrangement plus the 2.5 s tail at 44.1 kHz.
        let (buffer, format) = try AudioFileReader.read(out.audio.path)
        #expect(buffer.frames == result.frames)
        #expect(result.frames == Int(((score.duration + 2.5) * 44100).rounded(.up)))
        #expect(format & 0x0FFF_0000 == 0x0017_0000)   // SF_FORMAT_FLAC
        // A stem per sounding part, beside it; nothing hidden left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let stems = score.parts.filter { !$0.notes.isEmpty }.map { "t.stem-\($0.role.rawValue).wav" }
        #expect(names == (["t.flac", "t.json", "t.mid"] + stems).sorted())
    }

    @Test func aLoopIsExactlyItsMeasuresAndWrapsWithoutAClick() throws {
        let dir = try temp()
        for noEffects in [true, false] {
            var settings = AudioSettings()
            settings.loop = true
            settings.noEffects = noEffects
            settings.format = .wavFloat
            let url = dir.appendingPathComponent("loop-\(noEffects).wav")
            try TrackProducer(settings: settings, soundfont: try settings.locateSoundfont()).produce(Self.song, seed: 3, to: .init(audio: url))
            let (audio, _) = try AudioFileReader.read(url.path)
            // Four chords, repeated to 8 measures, at 92 bpm: 8 × 4 × 60 / 92 s.
            let designed = Int((8 * 4 * 60 / 92.0 * 44100).rounded())
            #expect(audio.frames == designed, "\(audio.frames) frames, designed \(designed)")
            for ch in [audio.left, audio.right] {
                var largest: Float = 0
                for i in 1..<ch.count { largest = max(largest, abs(ch[i] - ch[i - 1])) }
                let wrap = abs(ch[0] - ch[ch.count - 1])
                #expect(wrap <= largest, "the wrap jumps \(wrap), the loop at most \(largest)")
                #expect(largest > 0.01, "the loop sounds")
            }
        }
    }

    @Test func floatFilesAreTheSameBytesWhenWrittenAgainLater() throws {
        // libsndfile's PEAK chunk holds the time of writing: a float WAV (every stem) written a
        // second later differed. The clock must not reach the file.
        let dir = try temp()
        var settings = AudioSettings()
        settings.stems = true
        settings.format = .wavFloat
        let producer = TrackProducer(settings: settings, soundfont: try settings.locateSoundfont())
        let song = Song(title: "Short", key: 1, mode: 1, bpm: 140, energy: 0.5, valence: 0.5, chords: [1, 5], melodies: [[1, 0, 3, 0, 5, 0, 3, 0], [2, 0, 0, 0, 5, 0, 0, 0]])
        for name in ["a", "b"] {
            try producer.produce(song, seed: 1, to: .init(audio: dir.appendingPathComponent("\(name).wav")))
            Thread.sleep(forTimeInterval: 1.1)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("a.") }.sorted()
        #expect(names.count >= 3, "the mix and at least two stems")
        for a in names {
            let b = "b" + a.dropFirst()
            #expect(try Data(contentsOf: dir.appendingPathComponent(a)) == Data(contentsOf: dir.appendingPathComponent(b)), "\(a)")
        }
    }

    @Test func aBatchRefusesExistingOutputsBeforeAnyWork() throws {
        let dir = try temp()
        let midi = dir.appendingPathComponent("m-002.mid")
        try Data("keep".utf8).write(to: midi)
        let batch = RenderBatch(songs: [Self.song, Self.song], output: dir.appendingPathComponent("r.wav"), midi: dir.appendingPathComponent("m.mid"))
        #expect(batch.targets.map(\.lastPathComponent) == ["r-001.wav", "r-002.wav"])
        #expect { try batch.run() } throws: { ($0 as? StudioError)?.input == midi.path }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m-002.mid"])
        #expect(try Data(contentsOf: midi) == Data("keep".utf8))
    }

    @Test func aCancelledBatchStopsBeforeTheNextSong() throws {
        let dir = try temp()
        let cancellation = Cancellation()
        let batch = RenderBatch(songs: [Self.song, Self.song, Self.song], output: dir.appendingPathComponent("r.wav"))
        let worked = Counter()
        #expect(throws: Cancelled.self) {
            try batch.run(progress: { _ in _ = worked.take(below: 99); cancellation.cancel() }, cancellation: cancellation)
        }
        #expect(worked.take(below: 99) == 1, "one song finished before the stop was seen")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r-001.wav"])
        #expect(cancellation.folders == [dir.path])
    }
}
