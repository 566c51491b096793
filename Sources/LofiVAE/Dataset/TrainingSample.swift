import Foundation
import Theory

/// One training example: a song (key, mode, tempo, mood, chords, melody) and the source song
/// it was cut from, which decides its side of the train/validation split.
public struct TrainingSample: Sendable, Equatable {
    public var song: Song
    /// Identifies the source song ("pop909/001", "hooktheory/x/xilent/the-place"); every
    /// phrase of one song lands on the same side of the split.
    public var group: String

    public init(song: Song, group: String) {
        self.song = song
        self.group = group
    }

    /// The sample as song JSON with its group under "source" (readers of songs ignore it).
    public func jsonString() -> String {
        var s = song.jsonString(pretty: false)
        s.removeLast()
        return s + ",\"source\":\(Song.jsonQuote(group))}"
    }
}

/// Why an input was skipped, counted in the importer's summary.
public struct SkipReason: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}

/// The outcome of importing one source file.
public struct ImportResult: Sendable {
    public var samples: [TrainingSample] = []
    /// Reasons with counts: files or phrases skipped, judgement calls applied.
    public var counts: [String: Int] = [:]

    public init() {}

    public mutating func count(_ what: String, _ n: Int = 1) { counts[what, default: 0] += n }
}

/// Energy and valence derived from the music, for sources without audio features
/// (formulas in dataset/README.md).
public enum MoodEstimate {
    /// 0.4·tempo + 0.35·density + 0.25·velocity, where tempo = (bpm − 60)/80,
    /// density = melody onsets per measure / 8 and velocity = (mean velocity − 40)/80, each
    /// clamped to 0…1.
    public static func energy(bpm: Double, onsetsPerMeasure: Double, meanVelocity: Double) -> Double {
        let tempo = clamp((bpm - 60) / 80), density = clamp(onsetsPerMeasure / 8), velocity = clamp((meanVelocity - 40) / 80)
        return round3(0.4 * tempo + 0.35 * density + 0.25 * velocity)
    }

    /// 0.45·major mode + 0.35·share of measures on a major triad + 0.2·register, where
    /// register = (mean melody MIDI pitch − 55)/25 clamped to 0…1.
    public static func valence(mode: Mode, majorChordShare: Double, meanPitch: Double) -> Double {
        let major: Double = mode.isMinor ? 0 : 1
        return round3(0.45 * major + 0.35 * clamp(majorChordShare) + 0.2 * clamp((meanPitch - 55) / 25))
    }

    static func clamp(_ x: Double) -> Double { min(max(x, 0), 1) }
    static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// Share of chord measures whose triad is major in `key` (rests excluded).
    static func majorShare(_ chords: [Int], key: Key) -> Double {
        let sounding = chords.filter { $0 != 0 }
        guard !sounding.isEmpty else { return 0 }
        return Double(sounding.filter { RomanNumeral($0)!.quality(in: key) == .major }.count) / Double(sounding.count)
    }
}
