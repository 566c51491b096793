import ArgumentParser
import Foundation
import Studio

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

        @Option(name: .short, parsing: .unconditional, help: "Number of songs.")
        var n: Int

        @Flag(help: "Title tracks with the model's hash (\"#0018…\") instead of a readable title, unique in the playlist.")
        var hashTitles = false

        @Option(parsing: .unconditional, help: "Seed of the latents and arrangements.")
        var seed: UInt64 = 0

        @Option(name: .shortAndLong, help: "Output folder.")
        var output: String

        @Option(parsing: .unconditional, help: "Tracks rendered at once (cores used). Default: all cores.")
        var jobs = ProcessInfo.processInfo.activeProcessorCount

        @Option(parsing: .unconditional, help: "Produce only tracks i, i+n, i+2n… of the full playlist: i/n with 0 ≤ i < n.")
        var shard: String?

        @Option(parsing: .unconditional, help: "Morph start: a seed, a latent JSON (100 numbers) or a song JSON.")
        var from: String?

        @Option(parsing: .unconditional, help: "Morph end.")
        var to: String?

        @Option(help: "Only this mode: a name (major, minor, dorian, …) or 1…7.")
        var mode: String?

        @Option(help: "Only this key: a name (C, D♭/Db/C#, …) or 1…12.")
        var key: String?

        @Option(parsing: .unconditional, help: "Tempo range, e.g. 70-80.")
        var bpm: String?

        @Option(parsing: .unconditional, help: "Energy range, e.g. 0.2-0.5.")
        var energy: String?

        @Option(parsing: .unconditional, help: "Valence range.")
        var valence: String?

        @Option(parsing: .unconditional, help: "At least this many chords.")
        var minChords: Int?

        @Option(parsing: .unconditional, help: "At most this many chords.")
        var maxChords: Int?

        @Option(parsing: .unconditional, help: "Candidates to try before giving up on constraints.")
        var maxTries = 100_000

        @Option(help: "Also write the whole playlist as one file with equal-power crossfades.")
        var mix: String?

        @OptionGroup var model: ModelOption
        @OptionGroup(title: "Audio") var audio: AudioOptions

        func validate() throws {
            guard (1...PlaylistJob.maxCount).contains(n) else { throw ValidationError("-n must be in 1...100000") }
            guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be in 1...256") }
            if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
            if try from != nil && !constraints().isEmpty { throw ValidationError("a morph takes no constraints") }
            if let shard { _ = try Self.parseShard(shard) }
            if mix != nil && shard != nil { throw ValidationError("--mix needs every track: use it unsharded or with `playlist merge`") }
            guard maxTries >= 1 else { throw ValidationError("--max-tries must be at least 1") }
        }

        static func parseShard(_ text: String) throws -> PlaylistShard {
            do { return try PlaylistShard(text) } catch { throw ValidationError("--\(error)") }
        }

        func constraints() throws -> SongConstraints {
            do {
                return try SongConstraints.parse(mode: mode, key: key, bpm: bpm, energy: energy, valence: valence, minChords: minChords, maxChords: maxChords)
            } catch {
                throw ValidationError("--\(error)")
            }
        }

        func run() throws {
            let loaded = try model.load(command: "playlist")
            let constraints = try self.constraints()
            let songs: PlaylistJob.Songs
            if let from, let to { songs = .morph(from: from, to: to) } else if !constraints.isEmpty { songs = .constrained(constraints, maxTries: maxTries) } else { songs = .sampled }
            var job = PlaylistJob(folder: URL(fileURLWithPath: output), count: n, seed: seed, songs: songs, audio: audio.settings,
                                  jobs: jobs, shard: try shard.map(Self.parseShard))
            job.hashTitles = hashTitles
            let playlist = try fail("playlist") { try job.prepare(model: loaded, cancellation: Interrupts.token) }
            if case .constrained = songs {
                let plan = playlist.plan
                let why = plan.refusals.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                if plan.entries.count < n {
                    printError("playlist: \(plan.entries.count) of \(n) songs matched after \(plan.tried) tries (the limit, --max-tries); refused: \(why.isEmpty ? "none" : why)")
                    if plan.entries.isEmpty { throw ExitCode.failure }
                } else if isatty(2) == 1 {
                    printError("playlist: \(n) songs matched in \(plan.tried) tries; refused: \(why.isEmpty ? "none" : why)")
                }
            }
            let progress = ProgressBar(total: playlist.selectedCount, label: "playlist", enabled: isatty(2) == 1, plainLines: isatty(2) != 1)
            try fail("playlist") { try playlist.produce(progress: progress.callback, cancellation: Interrupts.token) }
            progress.finish()
            for f in playlist.failures { printError("playlist: \(f)") }
            if let mix { try fail("playlist") { try playlist.writeMix(to: URL(fileURLWithPath: mix), cancellation: Interrupts.token) } }
            if !playlist.failures.isEmpty { throw ExitCode.failure }
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
            let out = URL(fileURLWithPath: output)
            try fail("playlist merge") {
                try PlaylistMerge.merge(folders.map { URL(fileURLWithPath: $0) }, into: out, mix: mix.map { URL(fileURLWithPath: $0) },
                                        cancellation: Interrupts.token)
            }
        }
    }
}
