import Foundation
import LofiVAE
import Lyrics
import Theory

/// Lyrics2Lofi: a song whose melody carries a text's syllables.
///
/// The words give the form (one line, one measure or more: `LinePhrasing`), the rhythm of
/// the melody and the mood (`MoodReading`); the model gives everything else. A latent is
/// searched among `candidates` prior samples, seeded by the text's FNV-1a hash and `seed`:
/// the one whose decoded valence and energy are nearest the text's (and whose mode is the
/// one asked, if one is), then decoded again under the text's rhythm (`DecodingGuide`).
/// Same text, options and model → the same song.
public struct LyricsSong: Sendable {
    public var seed: UInt64 = 0
    public var language = "en"
    public var valence: Double?
    public var energy: Double?
    public var mode: Int?
    public var bpm: Double?
    public var candidates = 256
    /// Songs hold at most this many measures (the decoder's 50 chord steps).
    public static let maxMeasures = Lofi2LofiDecoder.maxChords

    public init() {}

    /// What was made, and how.
    public struct Result: Sendable {
        public var song: Song
        public var mood: MoodReading
        /// The lines sung (a long text is cut to 50 measures) and of how many.
        public var linesSung: Int
        public var linesInText: Int
        /// The chosen candidate among the prior samples.
        public var candidate: Int
        /// Messages for the user (a text cut short).
        public var notes: [String]
    }

    public func make(_ text: LyricText, model: LofiModel) throws(StudioError) -> Result {
        let lexicon: SentimentLexicon
        do { lexicon = try SentimentLexicon.installed() } catch { throw StudioError(error.message) }
        let mood = MoodReading(text: text, lexicon: lexicon)
        var phrases: [LinePhrasing] = []
        var measures = 0
        for line in text.lines {
            let p = LinePhrasing(line: line)
            if measures + p.measures > Self.maxMeasures { break }
            phrases.append(p)
            measures += p.measures
        }
        var notes: [String] = []
        if phrases.count < text.lines.count {
            notes.append("the text has \(text.lines.count) lines; a song holds at most \(Self.maxMeasures) measures, so the first \(phrases.count) lines are sung")
        }
        guard !phrases.isEmpty else { throw StudioError("the first line alone needs more than \(Self.maxMeasures) measures") }
        let targetValence = valence ?? mood.valence, targetEnergy = energy ?? mood.energy

        // The search: the candidate nearest the target mood; a length near the text's breaks ties.
        let textSeed = fnv1a64(text.lines.map(\.text).joined(separator: "\n").utf8) ^ seed
        let sampler = LatentSampler(seed: textSeed)
        let latents = sampler.latents(count: candidates)
        var plain = model
        plain.melody = nil
        let songs = try plain.studioSongs(for: latents)
        func distance(_ s: Song) -> Double {
            let dv = s.valence - targetValence, de = s.energy - targetEnergy
            let length = Double(abs(s.progression.count - measures)) / Double(Self.maxMeasures)
            return dv * dv + de * de + (mode.map { s.mode == $0 ? 0 : 1 } ?? 0) + 0.01 * length
        }
        var best = 0
        for i in songs.indices.dropFirst() where distance(songs[i]) < distance(songs[best]) { best = i }

        let slots = phrases.flatMap(\.melodySlots)
        guard let guide = DecodingGuide(measures: measures, slots: slots) else {
            throw StudioError("\(measures) measures do not fit the decoder")
        }
        let z = latents[best]
        let out = model.engine.decode(Tensor(shape: [1, LatentSampler.dimension], storage: z), melody: model.melody, guides: [guide])[0]
        var song = out.song(latent: z)
        song.id = song.title
        song.title = Self.title(text)
        song.lyrics = phrases.flatMap(\.lyricRows)
        if let mode { song.mode = mode }
        if let bpm { song.bpm = bpm }
        song.valence = (targetValence * 1000).rounded() / 1000
        song.energy = (targetEnergy * 1000).rounded() / 1000
        let problems = song.problems()
        guard problems.isEmpty else {
            throw StudioError("the model decoded an invalid song (\(problems.map(\.description).joined(separator: "; ")))")
        }
        return Result(song: song, mood: mood, linesSung: phrases.count, linesInText: text.lines.count, candidate: best, notes: notes)
    }

    /// The text's first line, trimmed, at most 80 characters (cut at a word).
    public static func title(_ text: LyricText) -> String {
        let first = text.lines.first?.text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)) ?? ""
        guard first.count > 80 else { return first }
        let cut = first.prefix(80)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)])
    }
}

extension LyricText {
    /// The text of a file, or of stdin for `-`, read as lyrics (at most 100 KB).
    public static func read(path: String, language: String) throws(StudioError) -> LyricText {
        let data = try AtomicFile.read(path, limit: LyricText.maxBytes)
        do { return try LyricText.read(data, source: path == "-" ? "stdin" : path, language: language) } catch {
            throw StudioError(error.message)
        }
    }
}
