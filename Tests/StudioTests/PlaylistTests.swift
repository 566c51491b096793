import Foundation
import Testing
import TestScratch
@testable import Studio

/// Playlists with the bundled model and the system soundfont, three tracks each.
@Suite(.serialized) struct PlaylistTests {
    static let model = try! LofiModel(path: LofiModel.bundledPath!, melody: .lofi)   // as the command line decodes

    let scratch = ScratchSpace()
    func temp(_ name: String) -> URL { scratch.path("playlist-\(name)") }

    static var clean: AudioSettings {
        var a = AudioSettings()
        a.noEffects = true
        return a
    }

    /// The playlist as the command makes it: `PlaylistJob` prepared and produced.
    func produce(_ dir: URL, count: Int = 3, seed: UInt64 = 11, shard: (Int, Int)? = nil, stopAfter: Int? = nil,
                 cancellation: Cancellation? = nil, progress: ProgressCallback? = nil) throws -> PlaylistProducer {
        let job = PlaylistJob(folder: dir, count: count, seed: seed, audio: Self.clean, jobs: 2,
                              shard: try shard.map { try PlaylistShard(index: $0.0, count: $0.1) })
        let playlist = try job.prepare(model: Self.model, cancellation: cancellation)
        playlist.producer.stopAfter = stopAfter
        try playlist.produce(progress: progress, cancellation: cancellation)
        return playlist.producer
    }

    /// Every file of a folder by name → bytes.
    func contents(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    @Test func resumeAfterInterruptionAndShardsBothMatchTheUninterruptedRun() throws {
        let full = temp("full")
        let p = try produce(full)
        #expect(p.rendered == 3 && p.failures.isEmpty)
        let reference = try contents(full)
        #expect(reference.keys.filter { $0.hasSuffix(".wav") }.count == 3)
        #expect(reference["playlist.json"] != nil && reference["playlist.m3u8"] != nil)

        // Interrupted after one track, with the partial file a kill mid-write leaves (its
        // process, pid 2147483000, does not exist).
        let resumed = temp("resumed")
        var interrupted = 0
        do { _ = try produce(resumed, stopAfter: 1) } catch is PlaylistProducer.Stopped {
            interrupted = try PlaylistIndex.read(resumed)!.tracks.count
        }
        #expect((1...2).contains(interrupted), "two jobs: one or two tracks finish before the stop")
        try Data("half a file".utf8).write(to: resumed.appendingPathComponent(".002 - x.wav.partial-2147483000-1"))
        let steps = Steps()
        let again = try produce(resumed, progress: steps.record)
        #expect(again.skipped == interrupted && again.rendered == 3 - interrupted)
        #expect(steps.counts == (worked: 3 - interrupted, skipped: interrupted), "the progress callback hears every track once")
        // Same files as the uninterrupted run, and no temporary file left.
        #expect(try contents(resumed) == reference)

        // A damaged file is noticed (hash) and made again.
        let victim = reference.keys.first { $0.hasPrefix("002") && $0.hasSuffix(".mid") }!
        try Data("damaged".utf8).write(to: resumed.appendingPathComponent(victim))
        let repaired = try produce(resumed)
        #expect(repaired.rendered == 1 && repaired.skipped == 2)
        #expect(try contents(resumed) == reference)

        // Shards 0/3, 1/3, 2/3 merged equal the unsharded playlist, byte for byte.
        let shards = (0..<3).map { temp("shard\($0)") }
        for (i, dir) in shards.enumerated() { _ = try produce(dir, shard: (i, 3)) }
        let merged = temp("merged")
        try PlaylistMerge.merge(shards, into: merged)
        #expect(try contents(merged) == reference)
    }

    @Test func aCancelledPlaylistKeepsItsFinishedTracksAndResumes() throws {
        let dir = temp("cancelled")
        let cancellation = Cancellation()
        #expect(throws: Cancelled.self) { _ = try produce(dir, cancellation: cancellation, progress: { _ in cancellation.cancel() }) }
        // Two jobs: the track in flight on the other core may finish too, nothing more starts.
        let kept = try PlaylistIndex.read(dir)!.tracks
        #expect((1...2).contains(kept.count))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }.isEmpty)
        #expect(cancellation.folders == [dir.path])
        let done = try produce(dir)
        #expect(done.skipped == kept.count && done.rendered == 3 - kept.count)
    }

    @Test func constraintsAreMetOrTheSearchStopsWithAReason() throws {
        let c = SongConstraints(mode: 6, bpm: 70...85)
        let plan = try ConstrainedSample(constraints: c, maxTries: 20_000).plan(count: 5, seed: 3, model: Self.model)
        #expect(plan.entries.count == 5)
        #expect(plan.entries.allSatisfy { c.violation($0.song) == nil && $0.song.mode == 6 && (70...85).contains($0.song.bpm) })
        // The model's tempo never leaves 70…100: nothing can match, and the search ends at the limit.
        let impossible = try ConstrainedSample(constraints: SongConstraints(bpm: 150...160), maxTries: 600).plan(count: 2, seed: 3, model: Self.model)
        #expect(impossible.entries.isEmpty && impossible.tried == 600)
        #expect(impossible.refusals["bpm", default: 0] > 580)
    }

    @Test func morphEndpointsDecodeToTheEndpointsSongs() throws {
        let a = LatentSampler(seed: 1).latent(index: 0), b = LatentSampler(seed: 2).latent(index: 0)
        let plan = try Morph(from: a, to: b).plan(count: 5, seed: 0, model: Self.model)
        let ends = Self.model.songs(for: [a, b])
        #expect(plan.entries.first!.song == ends[0])
        #expect(plan.entries.last!.song == ends[1])
        // The seed endpoint form is the sampler's first latent of that seed.
        #expect(try Morph.endpoint("1", model: Self.model) == a)
        // Slerp keeps the path's norm between the endpoints' (a straight line would sag).
        let mid = LatentPath.slerp(a, b, 0.5)
        let norm = { (v: [Float]) in v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
        #expect(norm(mid) > 0.95 * min(norm(a), norm(b)))
    }
}

/// Counts the progress callback's steps (called from the jobs' threads).
final class Steps: @unchecked Sendable {
    private let lock = NSLock()
    private var worked = 0, skipped = 0
    var record: ProgressCallback {
        { step in
            self.lock.lock()
            if case .skipped = step { self.skipped += 1 } else { self.worked += 1 }
            self.lock.unlock()
        }
    }
    var counts: (worked: Int, skipped: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (worked, skipped)
    }
}
