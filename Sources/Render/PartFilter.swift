/// A part's own band: a Butterworth high-pass and low-pass (12 dB/octave each) before the
/// mix, so keys, bass, lead and sparkle sit apart instead of all filling the whole spectrum.
public struct PartFilter: Sendable, Equatable {
    /// High-pass cutoff in Hz; nil: none.
    public var highPass: Double?
    /// Low-pass cutoff in Hz; nil: none.
    public var lowPass: Double?

    public init(highPass: Double? = nil, lowPass: Double? = nil) {
        self.highPass = highPass
        self.lowPass = lowPass
    }

    /// The filter's running state for one stereo stream.
    func stream(sampleRate: Double) -> [Biquad] {
        var sections: [Biquad] = []
        // Cutoffs at or above Nyquist are no filter at all.
        if let highPass, highPass < sampleRate / 2 { sections.append(.highPass(cutoff: highPass, sampleRate: sampleRate)) }
        if let lowPass, lowPass < sampleRate / 2 { sections.append(.lowPass(cutoff: lowPass, sampleRate: sampleRate)) }
        return sections
    }
}
