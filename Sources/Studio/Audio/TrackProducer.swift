import Foundation
import Render
import Theory

/// Song + seed + audio settings → the finished files: audio (and stems), MIDI, song JSON.
/// Every file is written under a temporary name and renamed, so a failure leaves none of them
/// half-written. With `keepsSoundfont`, the soundfont is loaded once and lent to every later
/// track's fresh synthesizers (use one producer per thread then).
public final class TrackProducer: @unchecked Sendable {
    public let settings: AudioSettings
    /// The soundfont path (already located).
    public let soundfont: String
    /// Where the drums come from (already located).
    public let drums: DrumKits
    /// Cores one track may use (parts synthesised side by side, channels and meters split);
    /// a playlist's jobs use 1 each. The files are the same bytes for any number.
    public let workers: Int
    private let session: RenderSession?

    /// `drums` nil: located from the settings (`AudioSettings.locateDrums`), the instruments'
    /// kit if that fails; locate them first to report a bad `--drum-soundfont`.
    public init(settings: AudioSettings, soundfont: String, drums: DrumKits? = nil, keepsSoundfont: Bool = false,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.settings = settings
        self.soundfont = soundfont
        self.drums = drums ?? (try? settings.locateDrums()) ?? .instrumentKit
        self.workers = max(1, workers)
        session = keepsSoundfont ? RenderSession() : nil
    }

    /// Where one track's files go; nil ones are not written.
    public struct Outputs: Sendable {
        public var audio: URL
        public var midi: URL?
        public var json: URL?
        /// The audio format; nil: the settings' or the audio file's extension.
        public var format: AudioFormat?
        /// Timed lyrics (`.lrc`), for a song with words.
        public var lrc: URL?

        public init(audio: URL, midi: URL? = nil, json: URL? = nil, format: AudioFormat? = nil, lrc: URL? = nil) {
            self.lrc = lrc
            self.audio = audio; self.midi = midi; self.json = json; self.format = format
        }
    }

    /// What a finished track took.
    public struct Result: Sendable {
        /// Audio frames written.
        public var frames: Int
        /// Seconds spent synthesising, in the lo-fi chain, normalising loudness, writing.
        public var synthesis, chain, loudness, writing: Double
    }

    @discardableResult
    public func produce(_ song: Song, seed: UInt64, to outputs: Outputs, cancellation: Cancellation? = nil) throws -> Result {
        let url = outputs.audio
        let format = try outputs.format ?? settings.audioFormat(for: url)
        let rate = settings.sampleRate ?? format.defaultSampleRate
        guard format.supports(sampleRate: rate) else { throw StudioError(url.path, "\(format.rawValue) needs --sample-rate 48000") }
        let score = settings.arranger.arrange(song, seed: seed)
        let key = song.musicalKey
        let metadata = AudioMetadata(title: song.displayTitle,
                                     comment: "\(String(format: "%g", song.bpm)) bpm, \(key.name); lofi-render seed \(seed)")
        // Open the main output first: an unwritable path fails before any work is done.
        let writer = try AudioFileWriter(url: url, format: format, sampleRate: rate, metadata: metadata)
        var stemWriters: [PartRole: AudioFileWriter] = [:]
        if settings.stems && !settings.loop {
            for part in score.parts where !part.notes.isEmpty {
                stemWriters[part.role] = try AudioFileWriter(url: AudioSettings.stemURL(url, part.role),
                                                             format: .wavFloat, sampleRate: rate,
                                                             metadata: AudioMetadata(title: "\(song.displayTitle) (\(part.role.rawValue))", comment: metadata.comment))
            }
        }
        let (mix, timing) = try master(score, song: song, seed: seed, sampleRate: rate, stems: stemWriters, cancellation: cancellation)
        let t3 = Date()
        try writer.write(mix)
        let writing = Date().timeIntervalSince(t3)
        for w in stemWriters.values { try w.finish() }
        if let midi = outputs.midi { try AtomicFile.write(try score.midiData, to: midi) }
        try writer.finish()
        if let lrc = outputs.lrc { try AtomicFile.write(Array(TimedLyrics(score: score).text.utf8), to: lrc) }
        if let json = outputs.json { try AtomicFile.write(Array((song.jsonString() + "\n").utf8), to: json) }
        return Result(frames: mix.frames, synthesis: timing.synthesis, chain: timing.chain, loudness: timing.loudness, writing: writing)
    }

    /// The finished audio of a song, in memory (the radio's tracks): what `produce` writes.
    public func audio(_ song: Song, seed: UInt64, sampleRate: Double = 44100, cancellation: Cancellation? = nil) throws -> StereoBuffer {
        try master(settings.arranger.arrange(song, seed: seed), song: song, seed: seed, sampleRate: sampleRate, stems: [:], cancellation: cancellation).0
    }

    /// Synthesis, the lo-fi chain (or the seamless loop) and loudness, timed; a cancelled
    /// render stops between the stages (a server's client went away).
    private func master(_ score: Score, song: Song, seed: UInt64, sampleRate rate: Double, stems: [PartRole: AudioFileWriter],
                        cancellation: Cancellation?) throws -> (StereoBuffer, (synthesis: Double, chain: Double, loudness: Double)) {
        var chain = settings.chain(for: song, seed: seed)
        if settings.tapeStop && !settings.loop, let last = score.measures.last {
            // The last chord rings for a beat, then the tape stops.
            let beat = Double(Score.ticksPerQuarter) * score.secondsPerTick
            chain.tapeStop = TapeStop(start: Double(last.index * Score.ticksPerMeasure) * score.secondsPerTick + beat,
                                      duration: min(2, max(1, 2 * beat)))
            chain.fade?.fadeOut = 0.05
        }
        let renderer = SongRenderer(soundfont: soundfont, drumSoundfont: drums.soundfont(forKit: score.part(.drums)?.program ?? 0),
                                    sampleRate: rate, partSound: settings.partSound(for: song), chain: chain,
                                    loudness: LoudnessNormalizer(targetLUFS: settings.loudness, ceilingDBTP: settings.truePeak),
                                    workers: workers)
        let t0 = Date()
        try cancellation?.check()
        var mix = try renderer.synthesize(score, stems: stems, session: session)
        try cancellation?.check()
        let t1 = Date()
        var t2 = t1
        renderer.withWorkers {
            // The chain measures its own output for the loudness stage as it goes.
            var measured: LoudnessBlocks?
            if settings.loop {
                let measures = score.measures.count
                mix = SeamlessLoop(frames: SeamlessLoop.frames(measures: measures, bpm: song.bpm, sampleRate: rate)).process(mix, chain: renderer.chain)
            } else {
                measured = renderer.chain?.process(&mix, measuring: renderer.loudness != nil)
            }
            t2 = Date()
            if cancellation?.isCancelled == true { return }
            renderer.loudness?.process(&mix, measured: measured)
        }
        // A render stopped before loudness must not come back as finished audio.
        try cancellation?.check()
        let t3 = Date()
        return (mix, (t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2)))
    }
}
