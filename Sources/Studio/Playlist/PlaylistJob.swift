import Foundation
import LofiVAE
import Render

/// A playlist to produce: N songs from a source into a folder, with the settings that decide
/// their bytes. `prepare` decides the songs and checks the folder; `produce` renders them.
public struct PlaylistJob: Sendable {
    /// Where the songs come from.
    public enum Songs: Sendable {
        /// Track i is the sampler's latent (seed, i).
        case sampled
        /// The first N prior samples that satisfy the constraints, within `maxTries` candidates.
        case constrained(SongConstraints, maxTries: Int)
        /// N songs along the path between two endpoints: a seed, a latent file or a song file.
        case morph(from: String, to: String)
    }

    public var folder: URL
    public var count: Int
    public var seed: UInt64
    public var songs: Songs
    public var audio: AudioSettings
    /// Tracks rendered at once (cores used).
    public var jobs: Int
    public var shard: PlaylistShard?
    /// Keep the model's hash titles ("#0018…") instead of readable ones (`TrackTitle`).
    public var hashTitles = false

    public init(folder: URL, count: Int, seed: UInt64 = 0, songs: Songs = .sampled, audio: AudioSettings = AudioSettings(),
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, shard: PlaylistShard? = nil) {
        self.folder = folder; self.count = count; self.seed = seed; self.songs = songs
        self.audio = audio; self.jobs = jobs; self.shard = shard
    }

    /// The largest playlist (`count`).
    public static let maxCount = PlaylistIndex.maxCount

    /// Creates the folder, locates the soundfont, decides the songs and the settings record,
    /// and checks that the folder holds nothing made with other settings.
    public func prepare(model: LofiModel, cancellation: Cancellation? = nil) throws(StudioError) -> PreparedPlaylist {
        let dir = folder
        // A folder made here and left empty by a failure (a bad morph endpoint, a missing
        // soundfont) goes again: a refused command leaves nothing behind.
        let made = !FileManager.default.fileExists(atPath: dir.path)
        try AtomicFile.createFolder(dir)
        var prepared = false
        defer { if made && !prepared { rmdir(dir.path) } }
        guard access(dir.path, W_OK) == 0 else { throw StudioError(dir.path, "folder is not writable") }
        let soundfont = try audio.locateSoundfont()
        let format = audio.format ?? .wav
        guard let soundfontDigest = FileDigest.sha256(URL(fileURLWithPath: soundfont)) else { throw StudioError(soundfont, "cannot read the soundfont") }
        let drums = try audio.locateDrums()
        var drumRecord: [String] = []
        for file in drums.files {
            guard let d = FileDigest.sha256(URL(fileURLWithPath: file)) else { throw StudioError(file, "cannot read the drum soundfont") }
            drumRecord.append("\(URL(fileURLWithPath: file).lastPathComponent) \(d.size) \(d.digest)")
        }
        var plan: SongPlan
        var constraints: SongConstraints?, maxTries: Int?, morph: [String]?
        switch songs {
        case .sampled:
            plan = try PriorSample(readableTitles: false).plan(count: count, seed: seed, model: model)
        case .constrained(let c, let tries):
            plan = try ConstrainedSample(constraints: c, maxTries: tries).plan(count: count, seed: seed, model: model)
            if !c.isEmpty { (constraints, maxTries) = (c, tries) }
        case .morph(let from, let to):
            plan = try Morph(from: Morph.endpoint(from, model: model), to: Morph.endpoint(to, model: model)).plan(count: count, seed: seed, model: model)
            morph = [from, to]
        }
        if !hashTitles { TrackTitle.assign(to: &plan, seed: seed) }
        let settings = PlaylistSettings(
            count: count, seed: seed, model: URL(fileURLWithPath: model.path).lastPathComponent,
            modelSHA256: FileDigest.sha256(URL(fileURLWithPath: model.path))?.digest ?? "",
            format: format.rawValue, sampleRate: audio.sampleRate ?? format.defaultSampleRate, loudness: audio.loudness,
            truePeak: audio.truePeak, effects: audio.effectsDescription, soundfont: URL(fileURLWithPath: soundfont).lastPathComponent,
            soundfontSize: soundfontDigest.size, soundfontSHA256: soundfontDigest.digest,
            drums: drumRecord.isEmpty ? nil : drumRecord,
            constraints: constraints, maxTries: maxTries, morph: morph, titles: hashTitles ? "hash" : nil,
            melody: model.melody.map { "temperature \($0.temperature), top-p \($0.topP), chord-tone bias \($0.chordToneBias)" } ?? "argmax")
        let producer = try PlaylistProducer(dir: dir, settings: settings, shard: shard, audio: audio, soundfont: soundfont, drums: drums, jobs: jobs)
        cancellation?.writes(into: dir)
        prepared = true
        return PreparedPlaylist(plan: plan, producer: producer)
    }
}

/// A playlist whose songs are decided and whose folder is ready.
public struct PreparedPlaylist: Sendable {
    public let plan: SongPlan
    public let producer: PlaylistProducer

    public var settings: PlaylistSettings { producer.settings }
    public var folder: URL { producer.dir }

    /// The tracks this run (or shard) is responsible for.
    public var selectedCount: Int { plan.entries.filter { producer.shard?.selects($0.index) ?? true }.count }

    /// One line per track that failed in `produce` ("track 3: …"); the others were made.
    public var failures: [String] { producer.failures }

    /// Renders every selected track not already finished; failures are in `failures`.
    public func produce(progress: ProgressCallback? = nil, cancellation: Cancellation? = nil) throws {
        try producer.run(plan, progress: progress, cancellation: cancellation)
    }

    /// The whole playlist as one crossfaded file.
    public func writeMix(to url: URL, cancellation: Cancellation? = nil) throws {
        try PlaylistMix.write(from: folder, to: url, format: AudioFormat(rawValue: settings.format) ?? .wav,
                              sampleRate: settings.sampleRate, truePeak: settings.truePeak, cancellation: cancellation)
    }
}
