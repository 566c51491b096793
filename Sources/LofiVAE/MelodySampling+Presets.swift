extension MelodySampling {
    /// The default of `sample`, `decode`, `playlist` and `evaluate`: varied melodies that
    /// land on the chord at the beats (figures in MODEL.md).
    public static let lofi = MelodySampling(temperature: 0.75, topP: 0.9, chordToneBias: 2.0)
}
