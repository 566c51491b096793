/// A `Biquad` run on both channels at once, left and right in the two lanes of a vector:
/// the same operations in the same order as two scalar sections, so the same bits, for half
/// the instructions (an IIR filter cannot be vectorised along time, but it can across channels).
struct StereoBiquad: Sendable {
    let b0: SIMD2<Double>, b1: SIMD2<Double>, b2: SIMD2<Double>, a1: SIMD2<Double>, a2: SIMD2<Double>
    var z1 = SIMD2<Double>(), z2 = SIMD2<Double>()

    init(_ section: Biquad) {
        b0 = SIMD2(repeating: section.b0); b1 = SIMD2(repeating: section.b1); b2 = SIMD2(repeating: section.b2)
        a1 = SIMD2(repeating: section.a1); a2 = SIMD2(repeating: section.a2)
    }

    @inline(__always)
    mutating func process(_ x: SIMD2<Double>) -> SIMD2<Double> {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }

    /// As `Biquad.flushDecayedState`, once per block.
    mutating func flushDecayedState() {
        let flush = SIMD2<Double>(repeating: Biquad.flush)
        z1.replace(with: 0, where: (z1 .< flush) .& (z1 .> -flush))
        z2.replace(with: 0, where: (z2 .< flush) .& (z2 .> -flush))
    }
}
