import Foundation
import Testing
import TestScratch
@testable import Studio
@testable import lofi_render

/// The review's defects, each tried as a user or an attacker would: the built `lofi-render`
/// run on small crafted inputs, checking the one line it prints, its exit status and what
/// it leaves on disk.
@Suite(.serialized) struct ReviewDefectTests {
    let scratch = ScratchSpace()
    /// The `lofi-render` that `swift test` built beside the test bundle.
    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lofi-render").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent(".build/debug/lofi-render").path
    }()

    static var shared: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let c = dir.appendingPathComponent("shared")
            if FileManager.default.fileExists(atPath: c.appendingPathComponent("reference").path) { return c }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("shared/ not found beside the checkout")
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// Runs the binary; `interruptAfter` sends SIGINT that many seconds after the start,
    /// `interruptWhen` sends `signal` (SIGINT unless told) once it holds.
    @discardableResult
    static func run(_ args: [String], in dir: URL? = nil, interruptAfter: Double? = nil, interruptWhen: (() -> Bool)? = nil,
                    signal: Int32 = SIGINT) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        if let dir { p.currentDirectoryURL = dir }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        if let interruptAfter {
            Thread.sleep(forTimeInterval: interruptAfter)
            kill(p.processIdentifier, SIGINT)
        }
        if let interruptWhen {
            // Polled for at most a minute, then the signal is sent anyway.
            let deadline = Date().addingTimeInterval(60)
            while p.isRunning && !interruptWhen() && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            kill(p.processIdentifier, signal)
        }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return Run(status: status, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func temp(_ name: String = "t") throws -> URL {
        try scratch.folder("review-\(name)")
    }

    func files(_ dir: URL) -> [String] {
        ((FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String]) ?? []).sorted()
    }

    static let song = Song(title: "Crafted", key: 3, mode: 6, bpm: 80, energy: 0.4, valence: 0.3,
                           chords: [1, 6, 4, 5], melodies: [[1, 2, 3, 0, 5, 0, 3, 2], [1, 1, 0, 0, 6, 5, 0, 0], [4, 0, 4, 0, 3, 0, 2, 0], [5, 0, 0, 0, 7, 0, 0, 0]])

    func writeSong(_ url: URL, _ song: Song = Self.song) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(song.jsonString().utf8).write(to: url)
    }

    // MARK: 8 — a shard's file names are not paths

    @Test func mergeRefusesAShardWhoseNamesLeaveTheFolder() throws {
        let root = try temp("merge")
        let shard = root.appendingPathComponent("shards/0"), out = root.appendingPathComponent("shards/out")
        try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
        // The payload sits where the name points, with the matching size and hash, so that
        // only the name check stands between it and a write outside the output folder.
        let payload = Data("#!/bin/sh\necho owned\n".utf8)
        try payload.write(to: shard.appendingPathComponent("../../payload.txt"))
        let digest = FileDigest.sha256(root.appendingPathComponent("payload.txt"))!
        let settings = PlaylistSettings(count: 1, seed: 1, model: "m", modelSHA256: "", format: "wav", sampleRate: 44100, loudness: -14,
                                        truePeak: -1, effects: "", soundfont: "x.sf2", constraints: nil, maxTries: nil, morph: nil)
        let names = ["audio": "../../payload.txt", "json": "001 - a.json", "midi": "001 - a.mid"]
        let track = PlaylistTrack(index: 1, seed: 1, title: "a", key: "C", mode: "Ionian", bpm: 80, energy: 0.5, valence: 0.5, duration: 1,
                                  files: names, sizes: names.mapValues { _ in digest.size }, sha256: names.mapValues { _ in digest.digest })
        try Data(PlaylistIndex(settings: settings, shard: "0/1", tracks: [track]).jsonBytes()).write(to: shard.appendingPathComponent("playlist.json"))
        let r = try Self.run(["playlist", "merge", shard.path, "-o", out.path])
        #expect(r.status == 1)
        #expect(r.stderr == "playlist merge: \(shard.path)/playlist.json: track 1's audio file name '../../payload.txt' is not one this program writes (001 - Title.wav); refusing to use it\n")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(files(root) == ["payload.txt", "shards", "shards/0", "shards/0/playlist.json"])
    }

    // MARK: 10 — colliding MIDI targets

    @Test func midiReportsInputsThatWouldOverwriteEachOther() throws {
        let dir = try temp("midi")
        try writeSong(dir.appendingPathComponent("a/x.json"))
        try writeSong(dir.appendingPathComponent("b/x.json"))
        try writeSong(dir.appendingPathComponent("y.json"))
        let out = dir.appendingPathComponent("out")
        let r = try Self.run(["midi", "a/x.json", "b/x.json", "y.json", "-o", "out"], in: dir)
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("midi: \(dir.path)/a/x.json: its output \(out.path)/x.mid is also the output of \(dir.path)/b/x.json; none of them is written (convert them separately or rename one)"))
        #expect(lines.contains("midi: \(dir.path)/b/x.json: its output \(out.path)/x.mid is also the output of \(dir.path)/a/x.json; none of them is written (convert them separately or rename one)"))
        #expect(files(out) == ["y.mid"])
        // An array's numbered element next to a file of that name.
        try Data(Song.jsonArray([Self.song, Self.song]).utf8).write(to: dir.appendingPathComponent("list.json"))
        try writeSong(dir.appendingPathComponent("list-001.json"))
        let out2 = dir.appendingPathComponent("out2")
        let r2 = try Self.run(["midi", "list.json", "list-001.json", "-o", "out2"], in: dir)
        #expect(r2.status == 1 && r2.stderr.contains("list-001.mid is also the output of"))
        #expect(files(out2) == ["list-002.mid"])
    }

    // MARK: 11 — render's other outputs are not overwritten

    @Test func renderKeepsAnExistingMidiOrStemWithoutForce() throws {
        let dir = try temp("render")
        try writeSong(dir.appendingPathComponent("s.json"))
        try Data("keep me".utf8).write(to: dir.appendingPathComponent("keep.mid"))
        let r = try Self.run(["render", "s.json", "-o", "s.wav", "--midi", "keep.mid"], in: dir)
        #expect(r.status == 1 && r.stderr == "render: \(dir.path)/keep.mid: already exists; pass --force to overwrite\n")
        #expect(try Data(contentsOf: dir.appendingPathComponent("keep.mid")) == Data("keep me".utf8))
        try Data("stem".utf8).write(to: dir.appendingPathComponent("t.stem-drums.wav"))
        let s = try Self.run(["render", "s.json", "-o", "t.wav", "--stems"], in: dir)
        #expect(s.status == 1 && s.stderr == "render: \(dir.path)/t.stem-drums.wav: already exists; pass --force to overwrite\n")
        #expect(files(dir) == ["keep.mid", "s.json", "t.stem-drums.wav"])
    }

    // MARK: 5 — a tiny crackle (now a level in dB; the quietest, given without "=")

    @Test func aTinyCrackleRendersTheSongFullLength() throws {
        let dir = try temp("crackle")
        try writeSong(dir.appendingPathComponent("s.json"))
        let r = try Self.run(["render", "s.json", "-o", "s.wav", "--crackle", "-80", "--midi", "s.mid"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        // The audio lasts the MIDI file's length plus the 2.5 s tail (read back by the reader).
        let midi = try MIDIReader.read([UInt8](Data(contentsOf: dir.appendingPathComponent("s.mid"))))
        let end = midi.tracks.compactMap(\.endTick).max()!
        let wav = try Data(contentsOf: dir.appendingPathComponent("s.wav"))
        let seconds = Double(wav.count - 44) / 4 / 44_100
        #expect(abs(seconds - (Double(end) / 480 * 60 / 80 + 2.5)) < 0.1, "\(seconds)")
    }

    // MARK: 6 — a model with a NaN weight

    @Test func aModelWithANaNWeightIsRefusedByEveryDecodingCommand() throws {
        let dir = try temp("nan")
        var dict = try ModelFile.load(LofiModel.bundledPath!)
        var t = dict["tempo_linear.2.bias"]!
        t.storage[0] = .nan
        dict["tempo_linear.2.bias"] = t
        try Data(Safetensors.encode(dict)).write(to: dir.appendingPathComponent("nan.safetensors"))
        try Data(("[" + [String](repeating: "0", count: 100).joined(separator: ",") + "]").utf8).write(to: dir.appendingPathComponent("z.json"))
        for args in [["decode", "z.json"], ["sample", "-o", "x.mid"], ["sample", "-o", "x.json"]] {
            let r = try Self.run(args + ["--model", "nan.safetensors"], in: dir)
            #expect(r.status == 1 && r.stdout.isEmpty, "\(args)")
            #expect(r.stderr.contains("tensor 'tempo_linear.2.bias' holds nan at element 0; a model's weights must be finite"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        #expect(files(dir) == ["nan.safetensors", "z.json"])
    }

    // MARK: 12 — partial files left by a crash, and Ctrl-C

    @Test func partialFilesOfDeadProcessesAreRemovedAndLiveOnesKept() throws {
        let dir = try temp("partials")
        try writeSong(dir.appendingPathComponent("s.json"))
        let dead = ".s.mid.partial-2147483000-17", live = ".s.mid.partial-1-17"   // pid 1 is always alive
        for n in [dead, live] { try Data("half".utf8).write(to: dir.appendingPathComponent(n)) }
        let r = try Self.run(["midi", "s.json", "-o", "s.mid"], in: dir)
        #expect(r.status == 0)
        #expect(files(dir) == [live, "s.json", "s.mid"].sorted())
    }

    @Test func ctrlCDuringARenderLeavesNothingAndExits130() throws {
        let dir = try temp("sigint")
        // A long song, so the render is still going when the signal comes.
        let long = Song(title: "Long", key: 1, mode: 1, bpm: 60, energy: 0.5, valence: 0.5,
                        chords: [Int](repeating: 1, count: 96), melodies: [[Int]](repeating: [1, 2, 3, 4, 5, 6, 7, 8], count: 96))
        try writeSong(dir.appendingPathComponent("s.json"), long)
        let r = try Self.run(["render", "s.json", "-o", "s.wav", "--stems", "--midi", "s.mid"], in: dir,
                             interruptWhen: { self.files(dir).contains { $0.contains(".partial-") } })
        #expect(r.status == 130, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("interrupted; partial files removed\n"))
        #expect(files(dir) == ["s.json"])
    }

    @Test func ctrlCDuringTrainingExits130WithoutACrash() throws {
        let dir = try temp("train")
        let data = try smallTrainingSet(in: dir)
        // Five times: the crash (atexit handlers racing OpenBLAS threads) came in five runs of
        // eight, so two attempts let the `exit` mutant through about one run in seven.
        for attempt in 0..<5 {
            let r = try Self.run(["train", "--data", data.path, "-o", "m\(attempt).safetensors", "--epochs", "100000", "--hidden", "16", "--batch-size", "2"],
                                 in: dir, interruptWhen: { FileManager.default.fileExists(atPath: dir.appendingPathComponent("m\(attempt).svg").path) })
            #expect(r.status == 130, "attempt \(attempt): \(r.stderr)")
            #expect(r.stderr.hasSuffix("interrupted; partial files removed\n"))
            #expect(!files(dir).contains { $0.contains(".partial-") })
        }
    }

    /// A 16-bit stereo 44.1 kHz WAV of `seconds` of a quiet square wave, written by hand.
    func wav(seconds: Int) -> Data {
        let frames = seconds * 44_100, bytes = frames * 4
        func u32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(v).littleEndian) { Array($0) } }
        func u16(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt16(v).littleEndian) { Array($0) } }
        var header: [UInt8] = Array("RIFF".utf8) + u32(36 + bytes) + Array("WAVEfmt ".utf8) + u32(16) + u16(1) + u16(2)
        header += u32(44_100) + u32(44_100 * 4) + u16(4) + u16(16) + Array("data".utf8) + u32(bytes)
        var d = Data(header)
        var period = [UInt8](repeating: 0, count: 400)
        for i in 0..<100 { let v: Int16 = i < 50 ? 600 : -600; withUnsafeBytes(of: v.littleEndian) { period[4 * i] = $0[0]; period[4 * i + 1] = $0[1]; period[4 * i + 2] = $0[0]; period[4 * i + 3] = $0[1] } }
        let second = Data((0..<441).flatMap { _ in period })   // 441 periods of 100 frames
        for _ in 0..<seconds { d.append(second) }
        return d
    }

    @Test func ctrlCDuringAMixRemovesThePartialMix() throws {
        let dir = try temp("mix")
        let list = dir.appendingPathComponent("list"), mixes = dir.appendingPathComponent("mixes")
        try FileManager.default.createDirectory(at: mixes, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: list, withIntermediateDirectories: true)
        let settings = PlaylistSettings(count: 3, seed: 1, model: "m", modelSHA256: "", format: "wav", sampleRate: 44100, loudness: -14,
                                        truePeak: -1, effects: "", soundfont: "x.sf2", constraints: nil, maxTries: nil, morph: nil)
        var tracks: [PlaylistTrack] = []
        for i in 1...3 {
            let names = ["audio": "00\(i) - t.wav", "json": "00\(i) - t.json", "midi": "00\(i) - t.mid"]
            try wav(seconds: 600).write(to: list.appendingPathComponent(names["audio"]!))
            try Data("{}".utf8).write(to: list.appendingPathComponent(names["json"]!))
            try Data("MThd".utf8).write(to: list.appendingPathComponent(names["midi"]!))
            let digests = names.mapValues { FileDigest.sha256(list.appendingPathComponent($0))! }
            tracks.append(PlaylistTrack(index: i, seed: 1, title: "t", key: "C", mode: "Ionian", bpm: 80, energy: 0.5, valence: 0.5, duration: 600,
                                        files: names, sizes: digests.mapValues(\.size), sha256: digests.mapValues(\.digest)))
        }
        try PlaylistIndex(settings: settings, shard: nil, tracks: tracks).write(to: list)
        // Merging a folder into itself copies nothing: the run is the 30-minute mix alone.
        // Interrupted once the partial mix exists (the test runner ignores SIGINT, and so does
        // the child until it installs its handler: an earlier signal would be lost).
        let r = try Self.run(["playlist", "merge", list.path, "-o", list.path, "--mix", mixes.appendingPathComponent("all.wav").path],
                             interruptWhen: { self.files(mixes).contains { $0.hasPrefix(".all.wav.partial-") } })
        #expect(r.status == 130, "\(r.stderr)")
        #expect(r.stderr == "interrupted; partial files removed\n")
        #expect(files(mixes).isEmpty, "\(files(mixes))")
    }

    @Test func keptTracksDoNotCountInTheProgressRate() {
        // A resumed playlist of 10 whose first 8 were kept: after one real track in 2 s the
        // rate is 0.5 tracks a second, not 4.5.
        let bar = ProgressBar(total: 10, label: "t", enabled: false)
        for _ in 0..<8 { bar.skip() }
        #expect(bar.rate(2) == 0)
        bar.advance()
        #expect(bar.rate(2) == 0.5)
    }

    /// A training folder from eight POP909 songs (linked, not copied), built by the binary.
    func smallTrainingSet(in dir: URL) throws -> URL {
        let songs = dir.appendingPathComponent("pop909"), data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: songs, withIntermediateDirectories: true)
        for n in 1...8 {
            let id = String(format: "%03d", n)
            try FileManager.default.createSymbolicLink(at: songs.appendingPathComponent(id), withDestinationURL: Self.shared.appendingPathComponent("datasets/pop909/\(id)"))
        }
        let build = try Self.run(["dataset", "build", "--source", "pop909", songs.path, "-o", data.path])
        #expect(build.status == 0, "\(build.stderr)")
        return data
    }

    // MARK: 9, 16 — dataset build

    @Test func hooktheorySectionsOfOneSongGetTheirOwnFiles() throws {
        let dir = try temp("hooktheory")
        let input = Self.shared.appendingPathComponent("datasets/hooktheory-sample")
        let r = try Self.run(["dataset", "build", "--source", "hooktheory", input.path, "-o", dir.appendingPathComponent("out").path])
        #expect(r.status == 0)
        // The reference preprocessing keeps 10 of the 14 sections (hooktheory_processed.json).
        #expect(files(dir.appendingPathComponent("out")).count == 10)
        #expect(r.stdout.contains("samples written: 10 to"))
        // A second build into the used folder is refused; with --force the old samples go.
        try Data("{}".utf8).write(to: dir.appendingPathComponent("out/stale.json"))
        let again = try Self.run(["dataset", "build", "--source", "hooktheory", input.path, "-o", dir.appendingPathComponent("out").path])
        #expect(again.status == 1 && again.stderr == "dataset build: \(dir.appendingPathComponent("out").path): already holds 11 samples (*.json); pass --force to replace them or choose an empty folder\n")
        let forced = try Self.run(["dataset", "build", "--source", "hooktheory", input.path, "-o", dir.appendingPathComponent("out").path, "--force"])
        #expect(forced.status == 0 && files(dir.appendingPathComponent("out")).count == 10)
    }

    @Test func songFoldersThatFlattenToOneNameKeepBothSamples() throws {
        // "x/a/b" and "x/a-b" both flatten to "hooktheory-x-a-b": the second gets the next number.
        let dir = try temp("flat")
        let section = try Data(contentsOf: Self.shared.appendingPathComponent("datasets/hooktheory-sample/x/xi/freedom-dive/intro_roman.json"))
        for folder in ["in/x/a/b", "in/x/a-b"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
            try section.write(to: dir.appendingPathComponent("\(folder)/intro_roman.json"))
        }
        let r = try Self.run(["dataset", "build", "--source", "hooktheory", "in", "-o", "out"], in: dir)
        #expect(r.status == 0 && r.stdout.contains("samples written: 2 to out"))
        #expect(files(dir.appendingPathComponent("out")) == ["hooktheory-x-a-b-001.json", "hooktheory-x-a-b-002.json"])
    }

    @Test func aSymlinkedPOP909SongFolderIsImported() throws {
        let dir = try temp("symlink")
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: input.appendingPathComponent("001"), withDestinationURL: Self.shared.appendingPathComponent("datasets/pop909/001"))
        let r = try Self.run(["dataset", "build", "--source", "pop909", input.path, "-o", dir.appendingPathComponent("out").path])
        let direct = POP909Importer().importSong(at: Self.shared.appendingPathComponent("datasets/pop909/001"))
        #expect(r.status == 0 && r.stdout.contains("files read: 1\n"))
        #expect(files(dir.appendingPathComponent("out")).count == direct.samples.count && direct.samples.count > 0)
    }

    // MARK: 15 — resume on another core count

    @Test func trainResumeWithOtherReplicasNamesTheOption() throws {
        let dir = try temp("resume")
        let data = try smallTrainingSet(in: dir)
        let first = try Self.run(["train", "--data", data.path, "-o", "m.safetensors", "--epochs", "1", "--hidden", "8", "--replicas", "2"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let other = try Self.run(["train", "--data", data.path, "-o", "m.safetensors", "--epochs", "2", "--hidden", "8", "--replicas", "1", "--resume"], in: dir)
        #expect(other.status == 1)
        #expect(other.stderr.contains("--replicas 2 then, 1 now (--replicas defaults to the core count; pass --replicas 2 to resume on this machine)"), "\(other.stderr)")
        #expect(other.stderr.contains("--epochs 1 then, 2 now"))
    }
}
