/// A chord voiced as concrete MIDI pitches, chosen for smooth voice leading.
public struct Voicing: Hashable, Sendable {
    /// Ascending MIDI pitches.
    public let pitches: [Int]

    /// Lowest allowed bottom note and the register the voicing leans toward.
    static let bottomRange = 48...59
    static let centre = 60.0

    /// The close-position voicing of `tones` (any inversion, bottom note in C3…B3) that moves
    /// least from `previous` — summed distance of voices matched low to high — with a light
    /// pull toward middle C so that a long progression does not drift off the keyboard.
    public static func leading(to tones: [PitchClass], from previous: Voicing?) -> Voicing {
        var best: (cost: Double, pitches: [Int])?
        for rotation in 0..<tones.count {
            let order = Array(tones[rotation...] + tones[..<rotation])
            let bottom = bottomRange.first { PitchClass($0) == order[0] }!
            var pitches = [bottom]
            for pc in order.dropFirst() {
                var p = pitches.last! + 1
                while PitchClass(p) != pc { p += 1 }
                pitches.append(p)
            }
            let mean = Double(pitches.reduce(0, +)) / Double(pitches.count)
            var cost = 0.5 * abs(mean - centre)
            if let previous, previous.pitches.count == pitches.count {
                cost += Double(zip(previous.pitches, pitches).map { abs($0 - $1) }.reduce(0, +))
            } else if previous == nil {
                cost += rotation == 0 ? 0 : 3  // start in root position unless far off centre
            }
            if best == nil || cost < best!.cost { best = (cost, pitches) }
        }
        return Voicing(pitches: best!.pitches)
    }
}
