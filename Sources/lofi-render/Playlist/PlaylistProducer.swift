import Foundation
import LofiVAE
import Render
import Theory

/// Renders the planned tracks into a folder: `jobs` tracks at once (one core each), every
/// file written atomically, the index rewritten after each finished track. Tracks already
/// in the index whose files still have their recorded size and hash are skipped; missing
/// or damaged ones are made again.
final class PlaylistProducer: @unchecked Sendable {
    let dir: URL
    let settings: PlaylistSettings
    let shard: (index: Int, count: Int)?
    let audio: AudioOptions
    let soundfont: String
    let jobs: Int
    /// For tests: stop (as if killed) after this many tracks have finished.
    var stopAfter: Int?

    private let lock = NSLock()
    private var index: PlaylistIndex
    private(set) var rendered = 0
    private(set) var skipped = 0
    private(set) var failures: [String] = []

    init(dir: URL, settings: PlaylistSettings, shard: (Int, Int)?, audio: AudioOptions, soundfont: String, jobs: Int) throws {
        self.dir = dir
        self.settings = settings
        self.shard = shard.map { (index: $0.0, count: $0.1) }
        self.audio = audio
        self.soundfont = soundfont
        self.jobs = max(1, jobs)
        PartialFiles.removeDead(in: dir)
        let shardText = shard.map { "\($0.0)/\($0.1)" }
        if let existing = try PlaylistIndex.read(dir) {
            guard existing.settings == settings, existing.shard == shardText else {
                throw CLIError("\(dir.path): holds a playlist made with other settings (count, seed, model, melody decoding, format, effects, constraints or shard); use another folder")
            }
            index = existing
        } else {
            index = PlaylistIndex(settings: settings, shard: shardText, tracks: [])
        }
    }

    static func width(_ count: Int) -> Int { max(3, String(count).count) }

    /// "007 - Title" with characters file systems dislike replaced.
    /// "007 - ": the start of every file name of track `number` (from 1) of `count`.
    static func namePrefix(_ number: Int, count: Int) -> String {
        let n = String(number)
        return "\(String(repeating: "0", count: max(0, width(count) - n.count)))\(n) - "
    }

    static func baseName(_ entry: PlaylistPlan.Entry, count: Int) -> String {
        let title = entry.song.displayTitle.map { "/\\:*?\"<>|".contains($0) || $0.isNewline ? "_" : $0 }
        return namePrefix(entry.index + 1, count: count) + String(title).prefix(80)
    }

    struct Stopped: Error {}

    /// Produces the selected tracks of `plan`.
    func run(_ plan: PlaylistPlan, progress: ProgressBar?) throws {
        let selected = plan.entries.filter { shard == nil || $0.index % shard!.count == shard!.index }
        var todo: [PlaylistPlan.Entry] = []
        for e in selected {
            if let t = index.tracks.first(where: { $0.index == e.index + 1 }), FileDigest.verify(t, in: dir) {
                skipped += 1
                progress?.skip()
            } else {
                index.tracks.removeAll { $0.index == e.index + 1 }
                todo.append(e)
            }
        }
        // Each job renders on one core: --jobs says how many cores to use.
        RenderThreads.parallel = false
        let next = Counter()
        nonisolated(unsafe) let work = todo
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(todo.count, 1))) { _ in
            // The job's soundfont, loaded once and lent to every song's fresh synthesizers.
            let session = RenderSession()
            while let k = next.take(below: work.count) {
                if let stop = stopAfter, rendered >= stop { return }
                let entry = work[k]
                do {
                    let track = try produce(entry, session: session)
                    lock.lock()
                    index.tracks.append(track)
                    rendered += 1
                    do { try index.write(to: dir) } catch { failures.append("\(dir.path): cannot write the index: \(error)") }
                    lock.unlock()
                    progress?.advance()
                } catch {
                    lock.lock()
                    failures.append("track \(entry.index + 1): \(error)")
                    lock.unlock()
                }
            }
        }
        if let stop = stopAfter, rendered >= stop, rendered < todo.count { throw Stopped() }
        try index.write(to: dir)
    }

    /// Renders one track: audio, song JSON and MIDI.
    private func produce(_ entry: PlaylistPlan.Entry, session: RenderSession) throws -> PlaylistTrack {
        let base = Self.baseName(entry, count: settings.count)
        let format = AudioFormat(rawValue: settings.format)!
        let files = ["audio": "\(base).\(format.fileExtension)", "json": "\(base).json", "midi": "\(base).mid"]
        let frames = try audio.render(entry.song, seed: entry.seed, to: dir.appendingPathComponent(files["audio"]!),
                                      soundfont: soundfont, midi: dir.appendingPathComponent(files["midi"]!), session: session, format: format)
        try AtomicFile.write(Array((entry.song.jsonString() + "\n").utf8), to: dir.appendingPathComponent(files["json"]!))
        var sizes: [String: Int] = [:], hashes: [String: String] = [:]
        for (kind, name) in files {
            guard let d = FileDigest.sha256(dir.appendingPathComponent(name)) else { throw CLIError("\(name): vanished after writing") }
            sizes[kind] = d.size
            hashes[kind] = d.digest
        }
        let key = entry.song.musicalKey
        return PlaylistTrack(index: entry.index + 1, seed: entry.seed, latentSeed: entry.latentSeed, latentIndex: entry.latentIndex,
                             morphPosition: entry.morphPosition, title: entry.song.displayTitle, key: key.tonicName, mode: key.mode.name,
                             bpm: entry.song.bpm, energy: entry.song.energy, valence: entry.song.valence,
                             duration: (Double(frames) / settings.sampleRate * 1000).rounded() / 1000,
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
