import Foundation

/// Constraints as people write them: mode and key names, ranges like "70-80".
/// A problem names the setting ("mode dorianx: unknown; …") so a front end can prefix its
/// own spelling of it (`--mode`, `?mode=`).
extension SongConstraints {
    public static func parse(mode: String? = nil, key: String? = nil, bpm: String? = nil, energy: String? = nil, valence: String? = nil,
                             minChords: Int? = nil, maxChords: Int? = nil) throws(StudioError) -> SongConstraints {
        var c = SongConstraints()
        try c.read(mode: mode, key: key, bpm: bpm, energy: energy, valence: valence, minChords: minChords, maxChords: maxChords)
        return c
    }

    private mutating func read(mode: String?, key: String?, bpm: String?, energy: String?, valence: String?,
                               minChords: Int?, maxChords: Int?) throws(StudioError) {
        if let mode {
            guard let m = Self.mode(named: mode) else {
                throw StudioError("mode \(mode)", "unknown; use major, minor, dorian, phrygian, lydian, mixolydian, locrian or 1…7")
            }
            self.mode = m
        }
        if let key {
            guard let k = Self.key(named: key) else { throw StudioError("key \(key)", "unknown; use a note name like Db or F# or 1…12") }
            self.key = k
        }
        self.bpm = try Self.range(bpm, "bpm", within: 20...300)
        self.energy = try Self.range(energy, "energy", within: 0...1)
        self.valence = try Self.range(valence, "valence", within: 0...1)
        self.minChords = minChords
        self.maxChords = maxChords
        if let a = minChords, let b = maxChords, a > b {
            throw StudioError(input: "min-chords", problem: "above max-chords", line: "min-chords is above --max-chords: the range is empty")
        }
    }

    /// 1…7 (the song JSON's mode) for a mode name or number.
    public static func mode(named text: String) -> Int? {
        let names = ["major": 1, "ionian": 1, "dorian": 2, "phrygian": 3, "lydian": 4, "mixolydian": 5, "minor": 6, "aeolian": 6, "locrian": 7]
        return Int(text).flatMap { (1...7).contains($0) ? $0 : nil } ?? names[text.lowercased()]
    }

    /// 1…12 (the song JSON's key, C = 1) for a note name ("Db", "F#", "B♭") or number.
    public static func key(named text: String) -> Int? {
        if let v = Int(text), (1...12).contains(v) { return v }
        let letters = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
        guard let first = text.first, let base = letters[String(first).uppercased()] else { return nil }
        var pc = base
        for ch in text.dropFirst() {
            switch ch { case "#", "♯": pc += 1; case "b", "♭": pc -= 1; default: return nil }
        }
        return (pc % 12 + 12) % 12 + 1
    }

    /// "lo-hi" within `within`.
    public static func range(_ text: String?, _ name: String, within: ClosedRange<Double>) throws(StudioError) -> ClosedRange<Double>? {
        guard let text else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1] else {
            throw StudioError("\(name) \(text)", "expected a range like \(within.lowerBound)-\(within.upperBound)")
        }
        guard lo <= hi else { throw StudioError("\(name) \(text)", "the range is empty") }
        guard within.overlaps(lo...hi) else { throw StudioError("\(name) \(text)", "outside \(within)") }
        return lo...hi
    }
}
