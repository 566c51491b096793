/// What a melody slot must be when the rhythm is given (Lyrics2Lofi: a syllable starts a
/// note, holds it, or a rest falls between lines).
public enum MelodySlot: Sendable, Equatable {
    /// A new note: any pitch token but the rest and the token just before it in the measure
    /// (equal neighbours would be one held note).
    case onset
    /// The note before it goes on: the previous token again.
    case hold
    /// Token 0.
    case rest
}

/// Decoding under a given form: exactly `measures` chords (the end token is held back until
/// then, and given there), and a melody whose rhythm is `slots` (8 per measure). Inside
/// that rhythm the decoder still chooses every chord and pitch from its own distribution
/// (argmax, or the `MelodySampling` draw among the allowed tokens), and each forced token is
/// fed back as its input, so the melody stays the model's.
public struct DecodingGuide: Sendable, Equatable {
    public var measures: Int
    public var slots: [MelodySlot]

    /// `slots.count` must be `8 × measures`; `measures` in 1…50.
    public init?(measures: Int, slots: [MelodySlot]) {
        guard (1...Lofi2LofiDecoder.maxChords).contains(measures), slots.count == measures * Lofi2LofiDecoder.notesPerChord else {
            return nil
        }
        self.measures = measures
        self.slots = slots
    }

    /// The chord token at chord step `step` from the step's logits (9 values).
    func chord(_ logits: ArraySlice<Float>, step: Int) -> Int {
        step < measures ? argmaxFirst(logits.prefix(Lofi2LofiDecoder.endToken)) : Lofi2LofiDecoder.endToken
    }

    /// The melody token of slot `slot` of chord step `step`; `previous` is the token before
    /// it (nil at a measure's first slot, where any pitch is a new note).
    func note(_ logits: ArraySlice<Float>, step: Int, slot: Int, previous: Int?, pick: (ArraySlice<Float>) -> Int) -> Int {
        switch slots[step * Lofi2LofiDecoder.notesPerChord + slot] {
        case .rest: return 0
        case .hold: return previous ?? 0
        case .onset:
            var masked = Array(logits)
            masked[0] = -.infinity
            if let previous, previous != 0 { masked[previous] = -.infinity }
            let t = pick(masked[...])
            // A draw never lands on a masked token, but rounding at topP = 1 could leave it
            // the fallback: then take the best allowed one.
            return masked[t] == -.infinity ? argmaxFirst(masked[...]) : t
        }
    }
}
