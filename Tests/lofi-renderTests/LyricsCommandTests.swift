import Foundation
import Testing
import TestScratch
@testable import Studio

/// `lofi-render lyrics` as a user runs it.
@Suite(.serialized) struct LyricsCommandTests {
    let scratch = ScratchSpace()
    typealias CLI = ReviewDefectTests
    static let verse = """
        City lights are fading slowly
        I walk home beneath the rain

        Every window holds a story
        Every heartbeat feels the same
        """

    func temp() throws -> URL {
        let dir = try scratch.folder("lyrics")
        try Self.verse.write(to: dir.appendingPathComponent("verse.txt"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aVerseBecomesAudioWithTimedLyricsAndKaraokeMIDI() throws {
        let dir = try temp()
        let r = try CLI.run(["lyrics", "verse.txt", "-o", "verse.wav", "--midi", "verse.mid", "--voice", "--no-effects", "--seed", "2"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(CLI().files(dir) == ["verse.lrc", "verse.mid", "verse.txt", "verse.wav"])
        #expect(r.stderr.contains("City lights are fading slowly: 4 lines, 4 measures, 30 syllables; valence"))
        // The same song as JSON, arranged here: its MIDI and LRC are the files the command wrote.
        let j = try CLI.run(["lyrics", "verse.txt", "-o", "verse.json", "--seed", "2"], in: dir)
        #expect(j.status == 0, "\(j.stderr)")
        let song = try Song.decode(try Data(contentsOf: dir.appendingPathComponent("verse.json")))
        #expect(song.lyrics?.count == 4)
        var arranger = Arranger()
        arranger.melodyProgram = Arranger.voiceProgram
        let score = arranger.arrange(song, seed: 2)
        #expect(try Array(Data(contentsOf: dir.appendingPathComponent("verse.mid"))) == score.midiData)
        #expect(try String(contentsOf: dir.appendingPathComponent("verse.lrc"), encoding: .utf8) == TimedLyrics(score: score).text)
        let melody = try MIDIReader.read(Array(Data(contentsOf: dir.appendingPathComponent("verse.mid")))).tracks.first { $0.name == "melody" }
        #expect(melody?.events.contains { $0.message == .programChange(channel: 2, program: 53) } == true)
        // The audio is as long as the arrangement.
        let audio = try AudioFileReader.read(dir.appendingPathComponent("verse.wav").path).0
        #expect(abs(Double(audio.frames) / audio.sampleRate - score.duration) < 3)
        // Run again: the same bytes.
        let again = try CLI.run(["lyrics", "verse.txt", "-o", "again.json", "--seed", "2"], in: dir)
        #expect(again.status == 0)
        #expect(try Data(contentsOf: dir.appendingPathComponent("again.json")) == Data(contentsOf: dir.appendingPathComponent("verse.json")))
    }

    @Test func badTextsGetOneLineAndNoOutput() throws {
        let dir = try temp()
        let cases: [(String, Data?, String)] = [
            ("empty.txt", Data(), "lyrics: empty.txt: the text is empty; write at least one line of words"),
            ("blank.txt", Data(" \n \n\t".utf8), "lyrics: blank.txt: the text is empty; write at least one line of words"),
            ("binary.txt", Data([0x7F, 0x45, 0x4C, 0x46, 0, 1]), "lyrics: binary.txt: binary data (a NUL byte at offset 4), not a text"),
            ("latin1.txt", Data([0x63, 0x61, 0x66, 0xE9]), "lyrics: latin1.txt: not valid UTF-8 text"),
            ("big.txt", Data(repeating: 0x61, count: 200_000), "lyrics: big.txt: 102401 bytes; a lyrics text holds at most 102400 bytes (100 KB)"),
            ("missing.txt", nil, "lyrics: missing.txt: no such file"),
        ]
        for (name, data, message) in cases {
            if let data { try data.write(to: dir.appendingPathComponent(name)) }
            for out in ["out.wav", "out.json", "out.mid"] {
                let r = try CLI.run(["lyrics", name, "-o", out, "--midi", "k.mid"], in: dir)
                #expect(r.status == 1, "\(name)")
                #expect(r.stderr == message + "\n", "\(name)")
            }
        }
        let folder = try CLI.run(["lyrics", ".", "-o", "out.json"], in: dir)
        #expect(folder.status == 1 && folder.stderr == "lyrics: .: is a folder, not a text file\n")
        for (args, message) in [(["--valence", "2"], "--valence must be in 0...1"), (["--bpm", "400"], "--bpm must be in 20...300"),
                                (["--mode", "happy"], "--mode happy: unknown"), (["--language", "xx"], "no hyphenation patterns for language 'xx'")] {
            let r = try CLI.run(["lyrics", "verse.txt", "-o", "out.json"] + args, in: dir)
            #expect(r.status != 0 && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        #expect(CLI().files(dir).filter { $0.hasPrefix("out") || $0.hasPrefix("k.") }.isEmpty)
        // An existing output is kept unless --force.
        try Data("x".utf8).write(to: dir.appendingPathComponent("keep.json"))
        let kept = try CLI.run(["lyrics", "verse.txt", "-o", "keep.json"], in: dir)
        #expect(kept.status == 1 && kept.stderr.contains("already exists"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("keep.json")) == Data("x".utf8))
    }
}
