import Foundation

extension LofiModel {
    /// Energy and valence as the decoder's heads give them, before the song clamps them to
    /// 0…1. The original Lofi server printed a clamped value as Python's int 0 or 1 and any
    /// other as a float, so reproducing its bytes needs to know which happened.
    public func rawMoods(for latent: [Float]) -> (energy: Float, valence: Float) {
        precondition(latent.count == LatentSampler.dimension, "a latent vector has \(LatentSampler.dimension) values")
        let z = Tensor(shape: [1, latent.count], storage: latent)
        return (decoder.energyHead(z).storage[0], decoder.valenceHead(z).storage[0])
    }
}
