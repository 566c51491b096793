import Foundation
import Render
import Theory

/// Renders the planned tracks into a folder: `jobs` tracks at once (one core each), every
/// file written atomically, the index rewritten after each finished track. Tracks already
/// in the index whose files still have their recorded size and hash are skipped; missing
/// or damaged ones are made again.
public final class PlaylistProducer: @unchecked Sendable {
    public let dir: URL
    public let settings: PlaylistSettings
    public let shard: PlaylistShard?
    public let audio: AudioSettings
    public let soundfont: String
    public let drums: DrumKits
    public let jobs: Int
    /// For tests: stop (as if killed) after this many tracks have finished.
    var stopAfter: Int?

    private let lock = NSLock()
    private var index: PlaylistIndex
    public private(set) var rendered = 0
    public private(set) var skipped = 0
    /// One line per track that failed ("track 3: …"); the others are still made.
    public private(set) var failures: [String] = []

    public init(dir: URL, settings: PlaylistSettings, shard: PlaylistShard?, audio: AudioSettings, soundfont: String,
                drums: DrumKits = .instrumentKit, jobs: Int) throws(StudioError) {
        self.dir = dir
        self.drums = drums
        self.settings = settings
        self.shard = shard
        self.audio = audio
        self.soundfont = soundfont
        self.jobs = max(1, jobs)
        PartialFiles.removeDead(in: dir)
        if let existing = try PlaylistIndex.read(dir) {
            guard existing.settings == settings, existing.shard == shard?.description else {
                throw StudioError(dir.path, "holds a playlist made with other settings (count, seed, model, melody decoding, format, effects, constraints or shard); use another folder")
            }
            index = existing
        } else {
            index = PlaylistIndex(settings: settings, shard: shard?.description, tracks: [])
        }
    }

    struct Stopped: Error {}

    /// Produces the selected tracks of `plan`. Cancelled, it stops before the next track
    /// (the finished ones stay in the index) and throws `Cancelled`.
    public func run(_ plan: SongPlan, progress: ProgressCallback? = nil, cancellation: Cancellation? = nil) throws {
        let selected = plan.entries.filter { shard?.selects($0.index) ?? true }
        var todo: [SongPlan.Entry] = []
        for e in selected {
            if let t = index.tracks.first(where: { $0.index == e.index + 1 }), FileDigest.verify(t, in: dir) {
                skipped += 1
                progress?(.skipped)
            } else {
                index.tracks.removeAll { $0.index == e.index + 1 }
                todo.append(e)
            }
        }
        // Each job renders on one core (`workers: 1`): `jobs` says how many cores to use.
        let next = Counter()
        nonisolated(unsafe) let work = todo
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(todo.count, 1))) { _ in
            // The job's soundfont, loaded once and lent to every song's fresh synthesizers.
            let producer = TrackProducer(settings: audio, soundfont: soundfont, drums: drums, keepsSoundfont: true, workers: 1)
            while let k = next.take(below: work.count) {
                if let stop = stopAfter, rendered >= stop { return }
                if cancellation?.isCancelled == true { return }
                let entry = work[k]
                do {
                    let track = try produce(entry, with: producer)
                    lock.lock()
                    index.tracks.append(track)
                    rendered += 1
                    do { try index.write(to: dir) } catch { failures.append("\(dir.path): cannot write the index: \(error)") }
                    lock.unlock()
                    progress?(.worked)
                } catch {
                    lock.lock()
                    failures.append("track \(entry.index + 1): \(error)")
                    lock.unlock()
                }
            }
        }
        if let stop = stopAfter, rendered >= stop, rendered < todo.count { throw Stopped() }
        try index.write(to: dir)
        try cancellation?.check()
    }

    /// Renders one track: audio, MIDI and song JSON.
    private func produce(_ entry: SongPlan.Entry, with producer: TrackProducer) throws -> PlaylistTrack {
        let base = PlaylistNames.base(entry, count: settings.count)
        let format = AudioFormat(rawValue: settings.format)!
        let files = ["audio": "\(base).\(format.fileExtension)", "json": "\(base).json", "midi": "\(base).mid"]
        let result = try producer.produce(entry.song, seed: entry.seed, to: .init(
            audio: dir.appendingPathComponent(files["audio"]!), midi: dir.appendingPathComponent(files["midi"]!),
            json: dir.appendingPathComponent(files["json"]!), format: format))
        var sizes: [String: Int] = [:], hashes: [String: String] = [:]
        for (kind, name) in files {
            guard let d = FileDigest.sha256(dir.appendingPathComponent(name)) else { throw StudioError(name, "vanished after writing") }
            sizes[kind] = d.size
            hashes[kind] = d.digest
        }
        let key = entry.song.musicalKey
        return PlaylistTrack(index: entry.index + 1, seed: entry.seed, latentSeed: entry.latentSeed, latentIndex: entry.latentIndex,
                             morphPosition: entry.morphPosition, title: entry.song.displayTitle, key: key.tonicName, mode: key.mode.name,
                             bpm: entry.song.bpm, energy: entry.song.energy, valence: entry.song.valence,
                             duration: (Double(result.frames) / settings.sampleRate * 1000).rounded() / 1000,
                             files: files, sizes: sizes, sha256: hashes)
    }
}

/// A thread-safe ticket counter for the work queue.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
