/// A melody slot value of the song JSON: 0 rest, 1…7 scale degrees in the lower octave,
/// 8…14 in the upper, 15 = degree 1 two octaves up.
public struct MelodyDegree: Hashable, Sendable {
    public let value: Int

    public init?(_ value: Int) {
        guard (0...15).contains(value) else { return nil }
        self.value = value
    }

    public var isRest: Bool { value == 0 }

    /// Octaves above the melody's base octave: (d − 1) / 7.
    public var octave: Int { (value - 1) / 7 }

    /// Zero-based scale step: (d − 1) mod 7.
    public var scaleStep: Int { (value - 1) % 7 }

    /// MIDI note for this degree in `key`, where `baseTonic` is the MIDI note of degree 1.
    /// Nil for a rest.
    public func midiNote(in key: Key, baseTonic: Int) -> Int? {
        guard !isRest else { return nil }
        return baseTonic + 12 * octave + key.mode.steps[scaleStep]
    }
}

/// One sounding melody note after merging equal neighbours: slots `start ..< start + length`.
public struct MelodyEvent: Hashable, Sendable {
    public let degree: MelodyDegree
    public let start: Int
    public let length: Int
}

extension MelodyDegree {
    /// Splits one row of eight slots into notes: equal neighbours are one held note,
    /// zeros are rests.
    public static func events(in row: [Int]) -> [MelodyEvent] {
        var result: [MelodyEvent] = []
        var i = 0
        while i < row.count {
            var j = i + 1
            while j < row.count && row[j] == row[i] { j += 1 }
            if row[i] != 0, let d = MelodyDegree(row[i]) {
                result.append(MelodyEvent(degree: d, start: i, length: j - i))
            }
            i = j
        }
        return result
    }
}
