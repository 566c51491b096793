import Foundation
import Testing
import TestScratch
@testable import Studio
import Render

/// The command line as a shell over Studio: the one line, the exit status and the files of
/// each command, run as a user runs them (the built binary).
@Suite(.serialized) struct CommandLineTests {
    func run(_ args: [String], in dir: URL) throws -> ReviewDefectTests.Run { try ReviewDefectTests.run(args, in: dir) }

    let scratch = ScratchSpace()
    func temp() throws -> URL { try scratch.folder("cli") }

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

    /// Negative numbers follow their option as written, without "=", in every command:
    /// each reaches the command's own check (the range, the seed, the morph endpoint) instead
    /// of being taken for an unknown option, and a valid one takes effect: the render given
    /// `--loudness -20 --true-peak -2` reads back at −20 LUFS by our meter.
    @Test func negativeValuesAreTakenAsWritten() throws {
        let dir = try temp()
        let cases: [([String], Int32, String)] = [
            (["render", "s.json", "-o", "x.wav", "--loudness", "-3"], 64, "Error: --loudness must be in -40...-5 LUFS"),
            (["render", "s.json", "-o", "x.wav", "--true-peak", "-30"], 64, "Error: --true-peak must be in -12...0 dBTP"),
            (["sample", "-o", "x.json", "--duck", "-2"], 64, "Error: --duck must be in 0...12 dB"),
            (["sample", "-o", "x.json", "--melody-temperature", "-1"], 64, "Error: --melody-temperature must be in 0...5"),
            (["sample", "--seed", "-1", "-o", "x.json"], 64, "Error: The value '-1' is invalid for '--seed <seed>'"),
            (["playlist", "-n", "-2", "-o", "pl"], 64, "Error: -n must be in 1...100000"),
            (["playlist", "-n", "2", "--from", "-3", "--to", "4", "-o", "pl"], 1, "playlist: -3: not a seed and not a readable file"),
        ]
        for (args, status, line) in cases {
            let r = try run(args, in: dir)
            #expect(r.status == status, "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").first.map(String.init) == line, "\(args)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no command left a file")
        try ReviewDefectTests().writeSong(dir.appendingPathComponent("s.json"))
        let r = try run(["render", "s.json", "-o", "n.wav", "--loudness", "-20", "--true-peak", "-2"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let audio = try AudioFileReader.read(dir.appendingPathComponent("n.wav").path).0
        let lufs = LoudnessMeter.integrated(audio)
        #expect(abs(lufs + 20) < 0.1, "\(lufs) LUFS")
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

    @Test func theProgramRunsOnOneBLASThreadAndWideKernels() throws {
        // Run as a user runs it, with nothing set for OpenBLAS: the program re-executes
        // itself once so that the library loads without its idle thread pool and, on a CPU
        // with AVX2, with kernels that use it (it fell back to SSE3 on some Xeons).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ReviewDefectTests.binary)
        p.arguments = ["--version"]
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OPENBLAS_") && $0.key != "GOTO_NUM_THREADS" && $0.key != "OMP_NUM_THREADS" }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("BLAS: ") }, "no BLAS line in \(text)")
        print(line)
        #expect(line.hasSuffix(", 1 thread"), "\(line)")
        let core = try #require(line.split(separator: ",").first { $0.contains("core ") }?.split(separator: " ").last).lowercased()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]) {
            #expect(["skylakex", "cooperlake", "sapphirerapids"].contains(core), "core \(core) on a CPU with AVX-512")
        } else if flags.isSuperset(of: ["avx2", "fma"]) {
            #expect(["haswell", "zen"].contains(core), "core \(core) on a CPU with AVX2")
        }
        // And the LSTM kernels at the widest level the CPU runs.
        let kernels = try #require(text.split(separator: "\n").first { $0.hasPrefix("LSTM kernels: ") }, "no kernels line in \(text)")
        print(kernels)
        #expect(kernels == (flags.contains("avx512f") ? "LSTM kernels: AVX-512F" : flags.contains("avx2") ? "LSTM kernels: AVX2" : "LSTM kernels: baseline (SSE2)"))
    }
}

