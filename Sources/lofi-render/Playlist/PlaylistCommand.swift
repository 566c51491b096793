import ArgumentParser
import Crypto
import Foundation
import LofiVAE
import Render
import Theory

struct PlaylistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playlist",
        abstract: "Produce many songs at once: a folder of finished tracks with a playlist.",
        subcommands: [Generate.self, Merge.self],
        defaultSubcommand: Generate.self)

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Sample, arrange and render N songs into a folder (the default of `playlist`).",
            discussion: """
                Track i (from 0) is the latent (--seed, i) of the sampler, arranged and rendered with \
                seed --seed + i; with constraints, candidates (--seed, 0), (--seed, 1), … are decoded \
                and the first N that match are kept; with --from/--to, N songs along the spherical \
                path between two latents (a seed, a latent file, or a song JSON encoded by the model). \
                Each track is written as "NNN - Title.wav" with its .json and .mid; playlist.json and \
                playlist.m3u8 are rewritten after every track. Re-running the same command skips \
                tracks whose files still match the recorded size and SHA-256 and redoes the rest; \
                Ctrl-C leaves no partial files. --shard i/n makes only tracks i, i+n, …, byte-identical \
                to an unsharded run; `playlist merge` joins shard folders. --jobs is the number of cores \
                (tracks rendered at once).
                """)

        @Option(name: .short, help: "Number of songs.")
        var n: Int

        @Option(help: "Seed of the latents and arrangements.")
        var seed: UInt64 = 0

        @Option(name: .shortAndLong, help: "Output folder.")
        var output: String

        @Option(help: "Tracks rendered at once (cores used). Default: all cores.")
        var jobs = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Produce only tracks i, i+n, i+2n… of the full playlist: i/n with 0 ≤ i < n.")
        var shard: String?

        @Option(help: "Morph start: a seed, a latent JSON (100 numbers) or a song JSON.")
        var from: String?

        @Option(help: "Morph end.")
        var to: String?

        @Option(help: "Only this mode: a name (major, minor, dorian, …) or 1…7.")
        var mode: String?

        @Option(help: "Only this key: a name (C, D♭/Db/C#, …) or 1…12.")
        var key: String?

        @Option(help: "Tempo range, e.g. 70-80.")
        var bpm: String?

        @Option(help: "Energy range, e.g. 0.2-0.5.")
        var energy: String?

        @Option(help: "Valence range.")
        var valence: String?

        @Option(help: "At least this many chords.")
        var minChords: Int?

        @Option(help: "At most this many chords.")
        var maxChords: Int?

        @Option(help: "Candidates to try before giving up on constraints.")
        var maxTries = 100_000

        @Option(help: "Also write the whole playlist as one file with equal-power crossfades.")
        var mix: String?

        @OptionGroup var model: ModelOption
        @OptionGroup(title: "Audio") var audio: AudioOptions

        func validate() throws {
            guard (1...100_000).contains(n) else { throw ValidationError("-n must be in 1...100000") }
            guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be in 1...256") }
            if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
            if try from != nil && !constraints().isEmpty { throw ValidationError("a morph takes no constraints") }
            if let shard { _ = try Self.parseShard(shard) }
            if mix != nil && shard != nil { throw ValidationError("--mix needs every track: use it unsharded or with `playlist merge`") }
            guard maxTries >= 1 else { throw ValidationError("--max-tries must be at least 1") }
        }

        static func parseShard(_ text: String) throws -> (Int, Int) {
            let parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, parts[1] >= 1, (0..<parts[1]).contains(parts[0]) else {
                throw ValidationError("--shard \(text): expected i/n with 0 ≤ i < n, e.g. 0/3")
            }
            return (parts[0], parts[1])
        }

        static func range(_ text: String?, _ name: String, within: ClosedRange<Double>) throws -> ClosedRange<Double>? {
            guard let text else { return nil }
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let lo = parts[0], let hi = parts[1] else { throw ValidationError("--\(name) \(text): expected a range like \(within.lowerBound)-\(within.upperBound)") }
            guard lo <= hi else { throw ValidationError("--\(name) \(text): the range is empty") }
            guard within.overlaps(lo...hi) else { throw ValidationError("--\(name) \(text): outside \(within)") }
            return lo...hi
        }

        func constraints() throws -> SongConstraints {
            var c = SongConstraints()
            if let mode {
                let names = ["major": 1, "ionian": 1, "dorian": 2, "phrygian": 3, "lydian": 4, "mixolydian": 5, "minor": 6, "aeolian": 6, "locrian": 7]
                guard let m = Int(mode).flatMap({ (1...7).contains($0) ? $0 : nil }) ?? names[mode.lowercased()] else {
                    throw ValidationError("--mode \(mode): unknown; use major, minor, dorian, phrygian, lydian, mixolydian, locrian or 1…7")
                }
                c.mode = m
            }
            if let key {
                let letters = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
                var k: Int?
                if let v = Int(key), (1...12).contains(v) { k = v } else if let first = key.first, let base = letters[String(first).uppercased()] {
                    var pc = base, ok = true
                    for ch in key.dropFirst() {
                        switch ch { case "#", "♯": pc += 1; case "b", "♭": pc -= 1; default: ok = false }
                    }
                    if ok { k = (pc % 12 + 12) % 12 + 1 }
                }
                guard let k else { throw ValidationError("--key \(key): unknown; use a note name like Db or F# or 1…12") }
                c.key = k
            }
            c.bpm = try Self.range(bpm, "bpm", within: 20...300)
            c.energy = try Self.range(energy, "energy", within: 0...1)
            c.valence = try Self.range(valence, "valence", within: 0...1)
            c.minChords = minChords
            c.maxChords = maxChords
            if let a = minChords, let b = maxChords, a > b { throw ValidationError("--min-chords is above --max-chords: the range is empty") }
            return c
        }

        func run() throws {
            let dir = URL(fileURLWithPath: output)
            do {
                do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                    throw CLIError("\(dir.path): cannot create folder: \(AtomicFile.reason(error))")
                }
                guard access(dir.path, W_OK) == 0 else { throw CLIError("\(dir.path): folder is not writable") }
                let loaded = try model.load(command: "playlist")
                let soundfont = try audio.locateSoundfont()
                let format: AudioFormat = try audio.format.map { AudioFormat(rawValue: $0)! } ?? .wav
                let constraints = try self.constraints()
                guard let soundfontDigest = FileDigest.sha256(URL(fileURLWithPath: soundfont)) else { throw CLIError("\(soundfont): cannot read the soundfont") }
                let plan: PlaylistPlan
                if let from, let to {
                    plan = try .morph(count: n, seed: seed, from: try PlaylistPlan.endpoint(from, model: loaded), to: try PlaylistPlan.endpoint(to, model: loaded), model: loaded)
                } else if !constraints.isEmpty {
                    plan = try .constrained(count: n, seed: seed, model: loaded, constraints: constraints, maxTries: maxTries)
                    let why = plan.refusals.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    if plan.entries.count < n {
                        printError("playlist: \(plan.entries.count) of \(n) songs matched after \(plan.tried) tries (the limit, --max-tries); refused: \(why.isEmpty ? "none" : why)")
                        if plan.entries.isEmpty { throw ExitCode.failure }
                    } else if isatty(2) == 1 {
                        printError("playlist: \(n) songs matched in \(plan.tried) tries; refused: \(why.isEmpty ? "none" : why)")
                    }
                } else {
                    plan = try .sampled(count: n, seed: seed, model: loaded)
                }
                let settings = PlaylistSettings(
                    count: n, seed: seed, model: URL(fileURLWithPath: loaded.path).lastPathComponent,
                    modelSHA256: FileDigest.sha256(URL(fileURLWithPath: loaded.path))?.digest ?? "",
                    format: format.rawValue, sampleRate: audio.sampleRate ?? format.defaultSampleRate, loudness: audio.loudness,
                    truePeak: audio.truePeak, effects: audio.effectsDescription, soundfont: URL(fileURLWithPath: soundfont).lastPathComponent,
                    soundfontSize: soundfontDigest.size, soundfontSHA256: soundfontDigest.digest,
                    constraints: constraints.isEmpty ? nil : constraints, maxTries: constraints.isEmpty ? nil : maxTries,
                    morph: from.map { [$0, to!] },
                    melody: loaded.melody.map { "temperature \($0.temperature), top-p \($0.topP), chord-tone bias \($0.chordToneBias)" } ?? "argmax")
                let shardPair = try shard.map(Self.parseShard)
                let producer = try PlaylistProducer(dir: dir, settings: settings, shard: shardPair, audio: audio, soundfont: soundfont, jobs: jobs)
                Interrupts.cleanOnInterrupt(dir)
                let total = plan.entries.filter { shardPair == nil || $0.index % shardPair!.1 == shardPair!.0 }.count
                let progress = ProgressBar(total: total, label: "playlist", enabled: isatty(2) == 1, plainLines: isatty(2) != 1)
                try producer.run(plan, progress: progress)
                progress.finish()
                for f in producer.failures { printError("playlist: \(f)") }
                if let mix { try Merge.writeMix(from: dir, to: URL(fileURLWithPath: mix), format: format, sampleRate: settings.sampleRate, truePeak: audio.truePeak) }
                if !producer.failures.isEmpty { throw ExitCode.failure }
            } catch let e as ExitCode {
                throw e
            } catch {
                printError("playlist: \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join shard folders into one playlist folder.",
            discussion: "Every shard must come from the same settings; together they must hold every track once. Files are copied after checking their hashes.")

        @Argument(help: "Shard folders.")
        var folders: [String]

        @Option(name: .shortAndLong, help: "Output folder.")
        var output: String

        @Option(help: "Also write the whole playlist as one crossfaded file.")
        var mix: String?

        func run() throws {
            do {
                var indexes: [(URL, PlaylistIndex)] = []
                for f in folders {
                    let dir = URL(fileURLWithPath: f)
                    guard let index = try PlaylistIndex.read(dir) else { throw CLIError("\(f): no \(PlaylistIndex.fileName)") }
                    indexes.append((dir, index))
                }
                guard let settings = indexes.first?.1.settings else { throw CLIError("no folders given") }
                guard indexes.allSatisfy({ $0.1.settings == settings }) else { throw CLIError("the folders come from different settings") }
                var tracks: [Int: (URL, PlaylistTrack)] = [:]
                for (dir, index) in indexes {
                    for t in index.tracks {
                        guard FileDigest.verify(t, in: dir) else { throw CLIError("\(dir.path): track \(t.index)'s files are missing or damaged; re-run that shard") }
                        tracks[t.index] = (dir, t)
                    }
                }
                let missing = (1...settings.count).filter { tracks[$0] == nil }
                guard missing.isEmpty else { throw CLIError("tracks missing: \(missing.prefix(10).map(String.init).joined(separator: ", "))\(missing.count > 10 ? "…" : ""); run their shards") }
                let out = URL(fileURLWithPath: output)
                do { try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true) } catch {
                    throw CLIError("\(out.path): cannot create folder: \(AtomicFile.reason(error))")
                }
                Interrupts.cleanOnInterrupt(out)
                for (_, (dir, t)) in tracks.sorted(by: { $0.key < $1.key }) where dir.standardizedFileURL != out.standardizedFileURL {
                    for name in t.files.values.sorted() {
                        try AtomicFile.write([UInt8](try Data(contentsOf: dir.appendingPathComponent(name))), to: out.appendingPathComponent(name))
                    }
                }
                try PlaylistIndex(settings: settings, shard: nil, tracks: tracks.values.map(\.1)).write(to: out)
                if let mix {
                    try Self.writeMix(from: out, to: URL(fileURLWithPath: mix), format: AudioFormat(rawValue: settings.format) ?? .wav,
                                      sampleRate: settings.sampleRate, truePeak: settings.truePeak)
                }
            } catch {
                printError("playlist merge: \(error)")
                throw ExitCode.failure
            }
        }

        /// The playlist's tracks, in order, joined with 4 s equal-power crossfades.
        static func writeMix(from dir: URL, to url: URL, format: AudioFormat, sampleRate: Double, truePeak: Double) throws {
            guard let index = try PlaylistIndex.read(dir) else { throw CLIError("\(dir.path): no playlist to mix") }
            Interrupts.cleanOnInterrupt(url.deletingLastPathComponent())
            let mixFormat = AudioFormat(fileExtension: url.pathExtension) ?? format
            let mixer = try CrossfadeMixer(url: url, format: mixFormat, sampleRate: sampleRate, ceilingDBTP: truePeak, title: "lofi-render playlist")
            for t in index.tracks.sorted(by: { $0.index < $1.index }) {
                guard let name = t.files["audio"] else { continue }
                try mixer.append(AudioFileReader.read(dir.appendingPathComponent(name).path).0)
            }
            try mixer.finish()
        }
    }
}
