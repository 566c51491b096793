/// A chord voiced as concrete MIDI pitches, chosen for smooth voice leading.
public struct Voicing: Hashable, Sendable {
    /// Ascending MIDI pitches.
    public let pitches: [Int]

    /// Lowest allowed bottom note and the register the voicing leans toward.
    static let bottomRange = 48...59
    static let centre = 60.0
    /// The most any one voice moves between two chords of the same size, in semitones. Among
    /// the inversions within it, the cheapest wins; the bound only rules out the leaps the
    /// pull toward middle C could otherwise buy.
    public static let maxVoiceMove = 7

    /// The close-position voicing of `tones` (any inversion, bottom note in C3…B3, or an octave
    /// beyond only where that keeps every voice within `maxVoiceMove`) that moves
    /// least from `previous` — summed distance of voices matched low to high — with a light
    /// pull toward middle C so that a long progression does not drift off the keyboard.
    public static func leading(to tones: [PitchClass], from previous: Voicing?) -> Voicing {
        var best: (cost: Double, pitches: [Int])?
        var bestLeaping: (cost: Double, pitches: [Int])?
        for rotation in 0..<tones.count {
            let order = Array(tones[rotation...] + tones[..<rotation])
            // The bottom in C3…B3, or an octave either side of it when that keeps a voice from leaping.
            for bottom in (bottomRange.lowerBound - 12...bottomRange.upperBound + 12) where PitchClass(bottom) == order[0] {
                let outside = !bottomRange.contains(bottom)
                var pitches = [bottom]
                for pc in order.dropFirst() {
                    var p = pitches.last! + 1
                    while PitchClass(p) != pc { p += 1 }
                    pitches.append(p)
                }
                let mean = Double(pitches.reduce(0, +)) / Double(pitches.count)
                var cost = 0.5 * abs(mean - centre)
                var leaps = false
                if let previous, previous.pitches.count == pitches.count {
                    let moves = zip(previous.pitches, pitches).map { abs($0 - $1) }
                    cost += Double(moves.reduce(0, +))
                    leaps = moves.max()! > maxVoiceMove
                } else if previous == nil {
                    cost += rotation == 0 ? 0 : 3  // start in root position unless far off centre
                }
                if leaps || outside {
                    // Outside the usual register only to avoid a leap; never chosen over one inside.
                    if outside && !leaps { cost += 100 }
                    if leaps { cost += 1000 }
                    if bestLeaping == nil || cost < bestLeaping!.cost { bestLeaping = (cost, pitches) }
                } else if best == nil || cost < best!.cost {
                    best = (cost, pitches)
                }
            }
        }
        return Voicing(pitches: (best ?? bestLeaping)!.pitches)
    }
}
