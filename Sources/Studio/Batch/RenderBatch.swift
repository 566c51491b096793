import Foundation
import Render
import Theory

/// Songs rendered to finished audio files, one after another (each render uses every core):
/// one song → `output` itself, several → `OUT-001.wav`, `OUT-002.wav`, … beside it, each
/// with its MIDI (`MIDI-001.mid` …) and stems when asked.
public struct RenderBatch: Sendable {
    public var songs: [Song]
    public var output: URL
    public var midi: URL?
    public var seed: UInt64
    public var audio: AudioSettings
    /// Overwrite existing files; otherwise any existing output stops the batch before it starts.
    public var force: Bool

    public init(songs: [Song], output: URL, midi: URL? = nil, seed: UInt64 = 0, audio: AudioSettings = AudioSettings(), force: Bool = false) {
        self.songs = songs; self.output = output; self.midi = midi; self.seed = seed; self.audio = audio; self.force = force
    }

    /// The audio file of each song.
    public var targets: [URL] { songs.indices.map { OutputNames.numbered(output, index: $0, of: songs.count) } }

    /// The MIDI file of each song, when asked.
    public var midiTargets: [URL?] {
        songs.indices.map { i in
            midi.map { u -> URL in
                songs.count == 1 ? u : u.deletingLastPathComponent().appendingPathComponent(
                    "\(u.deletingPathExtension().lastPathComponent)-\(String(format: "%03d", i + 1)).mid")
            }
        }
    }

    /// The timed lyrics beside each song that has words.
    public var lrcTargets: [URL?] {
        zip(songs, targets).map { s, t in s.lyrics == nil ? nil : TimedLyrics.url(besideAudio: t) }
    }

    /// Every file this batch may write, the MIDI, lyrics and stems too.
    public var outputs: [URL] {
        targets + midiTargets.compactMap { $0 } + lrcTargets.compactMap { $0 } + (audio.stems ? targets.flatMap(AudioSettings.stemURLs) : [])
    }

    /// Renders every song; `timing` hears what each track took.
    public func run(progress: ProgressCallback? = nil, cancellation: Cancellation? = nil,
                    timing: (@Sendable (TrackProducer.Result) -> Void)? = nil) throws {
        let targets = self.targets, midis = midiTargets, lrcs = lrcTargets
        for t in targets { _ = try audio.audioFormat(for: t) }
        let outputs = self.outputs
        if !force { try AtomicFile.refuseExisting(outputs) }
        let soundfont = try audio.locateSoundfont()
        for dir in Set(outputs.map { $0.deletingLastPathComponent().path }).sorted() { cancellation?.writes(into: URL(fileURLWithPath: dir)) }
        let producer = TrackProducer(settings: audio, soundfont: soundfont, drums: try audio.locateDrums())
        for (i, (s, t)) in zip(songs, targets).enumerated() {
            try cancellation?.check()
            let result = try producer.produce(s, seed: seed, to: .init(audio: t, midi: midis[i], lrc: lrcs[i]))
            timing?(result)
            progress?(.worked)
        }
    }
}
