import Foundation
import Testing
import TestScratch
@testable import Studio

/// The built binary run as a user runs it, its files re-read by parsers of their own
/// (libsndfile for audio, libebur128 for loudness, byte comparison for the rest): a playlist
/// killed and interrupted and resumed, training resumed from its saved state, every audio
/// format, a playlist mix, shards merged, the golden decodes through import-checkpoint and
/// decode, evaluate against sample, midi against the arranger.
@Suite(.serialized) struct EndToEndTests {
    typealias CLI = ReviewDefectTests

    let scratch = ScratchSpace()
    func temp(_ name: String) throws -> URL { try scratch.folder("e2e-\(name)") }

    func files(_ dir: URL) -> [String] { ReviewDefectTests().files(dir) }

    func contents(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in files(dir) { out[name] = try Data(contentsOf: dir.appendingPathComponent(name)) }
        return out
    }

    @Test func aPlaylistKilledThenInterruptedResumesToTheSameFiles() throws {
        let dir = try temp("playlist")
        let options = ["-n", "3", "--seed", "4", "--jobs", "1", "--max-chords", "4", "--no-effects"]
        let reference = try CLI.run(["playlist", "-o", "ref"] + options, in: dir)
        #expect(reference.status == 0, "\(reference.stderr)")
        let cut = dir.appendingPathComponent("cut")
        func finished(_ prefix: String) -> Bool { files(cut).contains { $0.hasPrefix(prefix) && $0.hasSuffix(".wav") } }
        // SIGKILL once the first track is written: no handler runs, partial files stay behind.
        let killed = try CLI.run(["playlist", "-o", "cut"] + options, in: dir, interruptWhen: { finished("001 - ") }, signal: SIGKILL)
        #expect(killed.status == 128 + SIGKILL)
        // Resumed, then Ctrl-C once the second track is there.
        let interrupted = try CLI.run(["playlist", "-o", "cut"] + options, in: dir, interruptWhen: { finished("002 - ") })
        #expect(interrupted.status == 130)
        let resumed = try CLI.run(["playlist", "-o", "cut"] + options, in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let want = try contents(dir.appendingPathComponent("ref")), got = try contents(cut)
        #expect(want.keys.sorted() == got.keys.sorted(), "files: \(got.keys.sorted()) against \(want.keys.sorted())")
        #expect(want.keys.filter { $0.hasSuffix(".wav") }.count == 3)
        for (name, data) in want { #expect(got[name] == data, "\(name) differs after the kill, the interrupt and the resume") }
    }

    @Test func trainingResumedFromItsSavedStateGivesTheSameModel() throws {
        let dir = try temp("train")
        let data = try ReviewDefectTests().smallTrainingSet(in: dir)
        let options = ["--data", data.path, "--hidden", "16", "--batch-size", "4", "--seed", "3", "--epochs", "12"]
        let whole = try CLI.run(["train", "-o", "whole.safetensors"] + options, in: dir)
        #expect(whole.status == 0, "\(whole.stderr)")
        // Ctrl-C once the first epoch's model is written; the run keeps its last finished epoch.
        let model = dir.appendingPathComponent("part.safetensors")
        let stopped = try CLI.run(["train", "-o", "part.safetensors"] + options, in: dir,
                                  interruptWhen: { FileManager.default.fileExists(atPath: model.path) })
        #expect(stopped.status == 130, "the run was interrupted")
        let rest = try CLI.run(["train", "-o", "part.safetensors", "--resume"] + options, in: dir)
        let after = rest.stdout.split(separator: "\n").first { $0.hasPrefix("resuming after epoch ") }
        let epoch = after.flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect(rest.status == 0 && epoch.map { (1..<12).contains($0) } == true, "\(rest.stdout)\(rest.stderr)")
        let a = try Data(contentsOf: dir.appendingPathComponent("whole.safetensors")), b = try Data(contentsOf: model)
        #expect(a.count > 10_000 && a == b, "the model resumed after epoch \(epoch ?? -1) differs (\(a.count) and \(b.count) bytes)")
    }

    @Test func everyAudioFormatReadsBackAsTheSameMusic() throws {
        let dir = try temp("formats")
        try ReviewDefectTests().writeSong(dir.appendingPathComponent("s.json"))
        func render(_ out: String, _ extra: [String] = []) throws -> StereoBuffer {
            let r = try CLI.run(["render", "s.json", "-o", out, "--seed", "2"] + extra, in: dir)
            #expect(r.status == 0, "\(out): \(r.stderr)")
            return try AudioFileReader.read(dir.appendingPathComponent(out).path).0
        }
        let wav = try render("s.wav")
        let loudness = LoudnessMeter.integrated(wav)
        #expect(abs(loudness + 14) < 0.1, "the 16-bit WAV at \(loudness) LUFS")
        func largestDifference(_ a: StereoBuffer, _ b: StereoBuffer) -> Float {
            zip(a.left + a.right, b.left + b.right).reduce(0) { max($0, abs($1.0 - $1.1)) }
        }
        // Lossless: FLAC holds the same 16-bit samples; 24-bit and float hold the master
        // before 16-bit rounding, so they sit within half a 16-bit step of the WAV (plus one
        // 24-bit step for wav24's own rounding).
        let flac = try render("s.flac")
        #expect(flac.frames == wav.frames && largestDifference(flac, wav) == 0)
        for (name, format) in [("s24.wav", "wav24"), ("sf.wav", "wav-float")] {
            let x = try render(name, ["--format", format])
            let d = largestDifference(x, wav)
            #expect(x.frames == wav.frames && d <= 0.5 / 32768 + 1.0 / 8_388_608, "\(format): \(d * 32768) 16-bit steps from the WAV")
            #expect(d > 0, "\(format) keeps more than 16 bits")
        }
        // Lossy: the same length (up to the codec's frame padding) and loudness.
        for (name, rate) in [("s.ogg", 44100.0), ("s.mp3", 44100), ("s.opus", 48000)] {
            let x = try render(name)
            let expected = Double(wav.frames) * rate / 44100
            #expect(x.sampleRate == rate && abs(Double(x.frames) - expected) < 2400, "\(name): \(x.frames) frames at \(x.sampleRate) Hz")
            let l = LoudnessMeter.integrated(x)
            #expect(abs(l - loudness) < 0.5, "\(name) at \(l) LUFS against \(loudness)")
        }
    }

    @Test func importThenDecodeGivesThePyTorchReferenceSongs() throws {
        // The 64 golden decodes of the PyTorch reference: the original checkpoint converted by
        // `import-checkpoint`, the latents decoded by `decode` with argmax melodies, as the
        // reference decodes; the same from the .pth directly.
        let dir = try temp("decode")
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.shared.appendingPathComponent("reference/golden_decode.json"))) as! [[String: Any]]
        let latents = golden.map { $0["z"] as! [Double] }
        try JSONSerialization.data(withJSONObject: latents).write(to: dir.appendingPathComponent("z.json"))
        let pth = CLI.shared.appendingPathComponent("reference/lofi2lofi_decoder.pth").path
        let imported = try CLI.run(["import-checkpoint", pth, "-o", "ref.safetensors"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        for model in ["ref.safetensors", pth] {
            let r = try CLI.run(["decode", "z.json", "--model", model, "--melody-temperature", "0", "-o", "songs.json"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let songs = try Song.decodeDocument(try Data(contentsOf: dir.appendingPathComponent("songs.json"))).map { try $0.get() }
            #expect(songs.count == 64)
            for (k, (song, g)) in zip(songs, golden).enumerated() {
                let want = try Song.decodeDocument(try JSONSerialization.data(withJSONObject: g["expected"]!))[0].get()
                #expect(song == want, "latent \(k) through \(model)")
            }
            try FileManager.default.removeItem(at: dir.appendingPathComponent("songs.json"))
        }
    }

    @Test func evaluateCountsTheSongsThatSampleWrites() throws {
        // `evaluate`'s prior figures for seed 4 against the 16 songs `sample` writes for the same
        // seed and decoding, counted here from the JSON.
        let dir = try temp("evaluate")
        let pth = CLI.shared.appendingPathComponent("reference/lofi2lofi_decoder.pth").path
        let e = try CLI.run(["evaluate", "--model", pth, "--samples", "16", "--seed", "4"], in: dir)
        #expect(e.status == 0, "\(e.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
        let argmax = try #require(report["prior_argmax"] as? [String: Any])
        let s = try CLI.run(["sample", "--model", pth, "--count", "16", "--seed", "4", "--melody-temperature", "0", "-o", "s.json"], in: dir)
        #expect(s.status == 0, "\(s.stderr)")
        let songs = try Song.decodeDocument(try Data(contentsOf: dir.appendingPathComponent("s.json"))).map { try $0.get() }
        var histogram: [String: Int] = [:]
        for song in songs { histogram[String(song.progression.count), default: 0] += 1 }
        #expect((argmax["chord_count_histogram"] as? [String: Int]) == histogram, "\(argmax["chord_count_histogram"] ?? "none") against \(histogram)")
        let mean = Double(songs.map(\.progression.count).reduce(0, +)) / 16
        #expect(abs((argmax["chords_per_song_mean"] as? Double ?? -1) - mean) < 1e-9)
        #expect(argmax["samples"] as? Int == 16 && argmax["valid_share"] as? Double == 1 && songs.allSatisfy { $0.problems().isEmpty })
    }

    @Test func midiWritesEachSongsArrangement() throws {
        // The files against the arranger's own bytes for the same seed, and read back.
        let dir = try temp("midi")
        let songs = try Song.decodeDocument(try Data(contentsOf: CLI.shared.appendingPathComponent("reference/default_playlist.json"))).map { try $0.get() }
        try Data(Song.jsonArray(Array(songs.prefix(3))).utf8).write(to: dir.appendingPathComponent("list.json"))
        let r = try CLI.run(["midi", "list.json", "-o", "out", "--seed", "5"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let names = files(dir.appendingPathComponent("out"))
        #expect(names == ["list-001.mid", "list-002.mid", "list-003.mid"], "\(names)")
        for (k, name) in names.enumerated() {
            let bytes = try Data(contentsOf: dir.appendingPathComponent("out/\(name)"))
            #expect(Array(bytes) == (try Arranger().arrange(songs[k], seed: 5).midiData), "\(name)")
            let midi = try MIDIReader.read(Array(bytes))
            #expect(midi.tracks.count >= 4, "\(name): \(midi.tracks.count) tracks")
        }
    }

    @Test func twoShardsMergeToTheWholePlaylist() throws {
        let dir = try temp("shards")
        let options = ["-n", "2", "--seed", "8", "--jobs", "1", "--max-chords", "4", "--no-effects"]
        for (out, extra) in [("whole", [String]()), ("a", ["--shard", "0/2"]), ("b", ["--shard", "1/2"])] {
            let r = try CLI.run(["playlist", "-o", out] + options + extra, in: dir)
            #expect(r.status == 0, "\(out): \(r.stderr)")
        }
        let m = try CLI.run(["playlist", "merge", "a", "b", "-o", "merged"], in: dir)
        #expect(m.status == 0, "\(m.stderr)")
        let whole = try contents(dir.appendingPathComponent("whole")), merged = try contents(dir.appendingPathComponent("merged"))
        #expect(whole.keys.sorted() == merged.keys.sorted() && whole.keys.filter { $0.hasSuffix(".wav") }.count == 2, "\(merged.keys.sorted())")
        for (name, data) in whole { #expect(merged[name] == data, "\(name) differs in the merge") }
    }

    @Test func aHooktheoryBuildWritesTheReferencePreprocessingsSamples() throws {
        // `dataset build` through the binary, each written sample against the reference
        // preprocessing's record of its section (hooktheory_processed.json: 0-based key and
        // mode, chords padded with 8 to 51, notes with 0 to 408): every kept section once.
        let dir = try temp("hooktheory")
        let r = try CLI.run(["dataset", "build", "--source", "hooktheory", CLI.shared.appendingPathComponent("datasets/hooktheory-sample").path, "-o", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.shared.appendingPathComponent("reference/hooktheory_processed.json"))) as! [String: [String: Any]]
        var unmatched = Set(reference.filter { $0.value["error"] == nil }.keys)
        #expect(unmatched.count == 10)
        for name in files(dir.appendingPathComponent("out")) {
            let data = try Data(contentsOf: dir.appendingPathComponent("out/\(name)"))
            let song = try Song.decodeDocument(data)[0].get()
            let source = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["source"] as? String)
            let n = song.chords.count
            let match = unmatched.sorted().first { path in
                let e = reference[path]!
                return "hooktheory/" + path.split(separator: "/").dropLast().joined(separator: "/") == source
                    && song.key == (e["key"] as! Int) + 1 && song.mode == (e["mode"] as! Int) + 1
                    && song.chords + Array(repeating: 8, count: 51 - n) == e["chords"] as! [Int]
                    && song.melodies.flatMap { $0 } + Array(repeating: 0, count: 408 - 8 * n) == e["melody_notes"] as! [Int]
            }
            #expect(match != nil, "\(name) (\(source)) matches no section of the reference")
            if let match { unmatched.remove(match) }
        }
        #expect(unmatched.isEmpty, "sections written by the reference but not by the build: \(unmatched.sorted())")
    }

    @Test func aPlaylistMixIsItsTracksCrossfaded() throws {
        let dir = try temp("mix")
        let r = try CLI.run(["playlist", "-o", "list", "-n", "2", "--seed", "6", "--jobs", "2", "--max-chords", "4", "--no-effects",
                             "--mix", "mix.wav"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let list = dir.appendingPathComponent("list")
        let tracks = try files(list).filter { $0.hasSuffix(".wav") }.map { try AudioFileReader.read(list.appendingPathComponent($0).path).0 }
        let mix = try AudioFileReader.read(dir.appendingPathComponent("mix.wav").path).0
        try #require(tracks.count == 2)
        // One 4-second equal-power crossfade between the two.
        let overlap = 4 * 44100
        #expect(mix.frames == tracks[0].frames + tracks[1].frames - overlap, "\(mix.frames) frames")
        // Before the crossfade the mix is the first track, sample for sample; after it, the second.
        let head = tracks[0].frames - overlap
        #expect(Array(mix.left[0..<head]) == Array(tracks[0].left[0..<head]) && Array(mix.right[0..<head]) == Array(tracks[0].right[0..<head]))
        let tail = tracks[1].frames - overlap
        #expect(Array(mix.left.suffix(tail)) == Array(tracks[1].left.suffix(tail)), "the mix ends with the second track")
    }
}
