import Foundation
import Theory

/// Where `lyrics` writes its song, by the output's extension as `sample` does: `.json` the
/// song (with its `lyrics` field), `.mid` the karaoke MIDI (a lyric event at every melody
/// onset), audio the finished render with its `.lrc` beside it; `midi` adds the karaoke MIDI
/// to any of them. Every file is checked before any is written, and written atomically.
public struct LyricsOutput: Sendable {
    public var output: URL
    public var midi: URL?
    public var seed: UInt64
    public var audio: AudioSettings
    public var force: Bool

    public init(output: URL, midi: URL? = nil, seed: UInt64 = 0, audio: AudioSettings = AudioSettings(), force: Bool = false) {
        self.output = output; self.midi = midi; self.seed = seed; self.audio = audio; self.force = force
    }

    public var kind: SampleOutput.Kind { SampleOutput.kind(forExtension: output.pathExtension, formatGiven: audio.format != nil) ?? .audio }

    public func write(_ song: Song, progress: ProgressCallback? = nil, cancellation: Cancellation? = nil) throws {
        if kind == .audio {
            try RenderBatch(songs: [song], output: output, midi: midi, seed: seed, audio: audio, force: force)
                .run(progress: progress, cancellation: cancellation)
            return
        }
        let midiBytes = try audio.arranger.arrange(song, seed: seed).midiData
        var writes: [(URL, [UInt8])] = kind == .json ? [(output, Array((song.jsonString() + "\n").utf8))] : [(output, midiBytes)]
        if let midi { writes.append((midi, midiBytes)) }
        if !force { try AtomicFile.refuseExisting(writes.map(\.0)) }
        for (u, bytes) in writes { try AtomicFile.write(bytes, to: u) }
    }
}
