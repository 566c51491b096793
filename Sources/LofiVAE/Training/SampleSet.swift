import Foundation
import Theory

/// Training samples read from dataset folders, split 85/15 by source song.
public struct SampleSet: Sendable {
    public var train: [TrainingSample] = []
    public var validation: [TrainingSample] = []

    /// Reads every *.json below `folders` (samples written by `dataset build`: a song with a
    /// "source" naming its song; plain songs count as their own song).
    public static func load(_ folders: [URL]) throws -> [TrainingSample] {
        var files: [URL] = []
        for f in folders {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: f.path, isDirectory: &isDir) else { throw SkipError("\(f.path): no such folder") }
            if !isDir.boolValue { files.append(f); continue }
            let all = (FileManager.default.enumerator(at: f, includingPropertiesForKeys: nil)?.allObjects as? [URL]) ?? []
            files += all.filter { $0.pathExtension == "json" }
        }
        files.sort { $0.path < $1.path }
        var samples: [TrainingSample] = []
        for url in files {
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw SkipError("\(url.path): cannot read") }
            let song: Song
            do { song = try Song.decode(data) } catch { throw SkipError("\(url.path): \(error)") }
            guard (1...50).contains(song.progression.count) else { throw SkipError("\(url.path): \(song.progression.count) chords; the model takes 1…50") }
            let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            let group = (obj?["source"] as? String) ?? url.deletingPathExtension().lastPathComponent
            samples.append(TrainingSample(song: song, group: group))
        }
        return samples
    }

    /// Deterministic split: a song goes to validation when the hash of (seed, song) falls in
    /// the lowest 15 %.
    public init(_ samples: [TrainingSample], seed: UInt64, validationShare: Double = 0.15) {
        for s in samples {
            var rng = SplitMix64(seed: fnv1a64(s.group.utf8) ^ seed)
            if rng.unit() < validationShare { validation.append(s) } else { train.append(s) }
        }
    }

    /// Batches of similar length (sorted by chord count, then cut), shuffled by `rng`.
    public static func batches(_ samples: [TrainingSample], size: Int, rng: inout SplitMix64) -> [[Song]] {
        var shuffled = samples
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, rng.int(in: 0...i)) }
        // Stable sort by length keeps the shuffle within each length.
        let ordered = shuffled.enumerated().sorted { ($0.element.song.progression.count, $0.offset) < ($1.element.song.progression.count, $1.offset) }.map(\.element.song)
        var out: [[Song]] = []
        var i = 0
        while i < ordered.count {
            out.append(Array(ordered[i..<min(ordered.count, i + size)]))
            i += size
        }
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, rng.int(in: 0...i)) }
        return out
    }
}
