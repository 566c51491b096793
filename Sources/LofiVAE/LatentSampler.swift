import Foundation
import Theory

/// Draws latent vectors z ~ N(0, T²·I) reproducibly.
///
/// Song `index` of seed `seed` has its own SplitMix64 stream, seeded with
/// `seed ⊕ (index + 1)·0x9E3779B97F4A7C15`, so any song of a batch can be regenerated alone
/// (`sample --seed S --count K` holds the same songs as K runs with indices 0…K−1).
/// Normal values come in pairs from the Box–Muller transform on two uniforms
/// u₁ ∈ (0, 1], u₂ ∈ [0, 1): r = √(−2 ln u₁), z = r·cos 2πu₂, r·sin 2πu₂; computed in Double,
/// scaled by T, then rounded to float32.
public struct LatentSampler: Sendable {
    public var seed: UInt64
    public var temperature: Double
    public static let dimension = 100

    public init(seed: UInt64, temperature: Double = 1) {
        self.seed = seed
        self.temperature = temperature
    }

    public func latent(index: Int) -> [Float] {
        var rng = SplitMix64(seed: seed ^ (UInt64(index) &+ 1) &* 0x9E37_79B9_7F4A_7C15)
        var z: [Float] = []
        z.reserveCapacity(Self.dimension)
        while z.count < Self.dimension {
            let u1 = 1 - rng.unit()
            let u2 = rng.unit()
            let r = (-2 * log(u1)).squareRoot()
            z.append(Float(temperature * r * cos(2 * .pi * u2)))
            if z.count < Self.dimension { z.append(Float(temperature * r * sin(2 * .pi * u2))) }
        }
        return z
    }

    public func latents(count: Int) -> [[Float]] { (0..<count).map { latent(index: $0) } }
}
