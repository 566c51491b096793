import Foundation
import Testing
@testable import Studio

/// The command line as a shell over Studio: the one line, the exit status and the files of
/// each command, run as a user runs them (the built binary).
@Suite(.serialized) struct CommandLineTests {
    func run(_ args: [String], in dir: URL) throws -> ReviewDefectTests.Run { try ReviewDefectTests.run(args, in: dir) }

    func temp() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func badOptionsAndInputsGetOneLineAndTheirExitStatus() throws {
        let dir = try temp()
        let cases: [([String], Int32, String)] = [
            (["playlist", "-n", "2", "--shard", "3/3", "-o", "x"], 64, "Error: --shard 3/3: expected i/n with 0 ≤ i < n, e.g. 0/3"),
            (["playlist", "-n", "2", "--mode", "blues", "-o", "x"], 64, "Error: --mode blues: unknown; use major, minor, dorian, phrygian, lydian, mixolydian, locrian or 1…7"),
            (["playlist", "-n", "2", "--min-chords", "5", "--max-chords", "4", "-o", "x"], 64, "Error: --min-chords is above --max-chords: the range is empty"),
            (["playlist", "-n", "2", "--bpm", "90-80", "-o", "x"], 64, "Error: --bpm 90-80: the range is empty"),
            (["render", "s.json", "-o", "x.wav", "--loudness=-3"], 64, "Error: --loudness must be in -40...-5 LUFS"),
            (["render", "missing.json", "-o", "x.wav"], 1, "render: missing.json: cannot read: no such file or directory"),
            (["decode", "missing.json"], 1, "decode: missing.json: cannot read: no such file or directory"),
            (["midi", "-"], 64, "midi: -o/--output is required for stdin, folders and several songs"),
            (["playlist", "merge", "nowhere", "-o", "y"], 1, "playlist merge: nowhere: no playlist.json"),
            (["dataset", "build", "--source", "pop909", "nowhere", "-o", "d"], 1, "dataset build: nowhere: not a folder"),
        ]
        for (args, status, line) in cases {
            let r = try run(args, in: dir)
            #expect(r.status == status, "\(args)")
            #expect(r.stderr.split(separator: "\n").first.map(String.init) == line, "\(args)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no command left a file")
    }

    @Test func sampleWritesTheSongsAndTheirArrangementsByExtension() throws {
        let dir = try temp()
        #expect(try run(["sample", "--seed", "7", "--count", "2", "-o", "s.json"], in: dir).status == 0)
        #expect(try run(["sample", "--seed", "7", "--count", "2", "-o", "s.mid"], in: dir).status == 0)
        // The MIDI files are the arranger's files (seed 7) of the songs the JSON holds.
        let songs = try Song.decodeDocument(Data(contentsOf: dir.appendingPathComponent("s.json"))).map { try $0.get() }
        #expect(songs.count == 2)
        for (i, song) in songs.enumerated() {
            let file = dir.appendingPathComponent("s-00\(i + 1).mid")
            #expect(try Data(contentsOf: file) == Data(Arranger().arrange(song, seed: 7).midiData))
        }
        // Again without --force: refused, nothing changed.
        let again = try run(["sample", "--seed", "8", "--count", "2", "-o", "s.mid"], in: dir)
        #expect(again.status == 1 && again.stderr == "sample: \(dir.appendingPathComponent("s-001.mid").path): already exists; pass --force to overwrite\n")
    }
}
