import Foundation

/// Brings a mix to a target integrated loudness with the true peak held under a ceiling:
/// gain to the target, limit, measure again, and repeat the small correction the limiter's
/// gain reduction calls for (usually one more pass).
public struct LoudnessNormalizer: Sendable {
    public var targetLUFS: Double
    public var ceilingDBTP: Double

    public init(targetLUFS: Double = -14, ceilingDBTP: Double = -1) {
        self.targetLUFS = targetLUFS
        self.ceilingDBTP = ceilingDBTP
    }

    /// Returns the final measurement.
    @discardableResult
    public func process(_ buffer: inout StereoBuffer) -> LoudnessMeasurement {
        // The limiter aims a little under the ceiling: its gain curve slightly reshapes
        // inter-sample peaks, and the meter's oversampling differs from ours.
        let limiter = TruePeakLimiter(ceilingDB: ceilingDBTP - 0.3)
        var lufs = LoudnessMeter.integrated(buffer)
        guard lufs.isFinite else { return LoudnessMeasurement(integrated: lufs, truePeak: Double(buffer.samplePeak)) }
        // Integrated loudness only while converging (cheap). The limiter's gain reduction
        // lowers loudness a little, so the gain is corrected and the limiter run again; each
        // step is scaled by how far the previous one actually moved the loudness (heavily
        // limited material responds less than one for one).
        var response = 1.0
        for _ in 0..<6 {
            let off = targetLUFS - lufs
            if abs(off) <= 0.04 { break }
            let step = max(-24, min(24, off / response))
            buffer.scale(by: Float(pow(10, step / 20)))
            limiter.process(&buffer)
            let measured = LoudnessMeter.integrated(buffer)
            let moved = measured - lufs
            response = abs(step) > 0.01 ? max(0.2, min(1, moved / step)) : 1
            lufs = measured
        }
        var m = LoudnessMeasurement(integrated: lufs, truePeak: LoudnessMeter.truePeak(buffer))
        if m.truePeakDB > ceilingDBTP {
            // Last resort: trade a little loudness for the ceiling rather than exceed it.
            buffer.scale(by: Float(pow(10, (ceilingDBTP - 0.05 - m.truePeakDB) / 20)))
            m = LoudnessMeter.measure(buffer)
        }
        return m
    }
}
