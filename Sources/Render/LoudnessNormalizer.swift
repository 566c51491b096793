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

    /// Returns the final measurement: the integrated loudness by libebur128's blocks, the
    /// true peak by the limiter's oversampled detector.
    ///
    /// The mix is measured once. A gain then moves every block by exactly the gain, so the
    /// blocks are scaled and gated anew rather than measured again; the limiter reports the
    /// frames it lowered, and only the blocks over those are measured again.
    /// `measured`: the buffer's gating blocks, measured already (`LofiChain.process(_:measuring:)`).
    @discardableResult
    public func process(_ buffer: inout StereoBuffer, measured: LoudnessBlocks? = nil) -> LoudnessMeasurement {
        // The limiter aims a little under the ceiling: its gain curve slightly reshapes
        // inter-sample peaks, and the meter's oversampling differs from ours.
        let limiter = TruePeakLimiter(ceilingDB: ceilingDBTP - 0.3)
        var blocks = measured?.blocks ?? GatingBlocks(measuring: buffer)
        var lufs = blocks.integrated
        guard lufs.isFinite else { return LoudnessMeasurement(integrated: lufs, truePeak: Double(buffer.samplePeak)) }
        // The limiter's gain reduction lowers loudness a little, so the gain is corrected and
        // the limiter run again; each step is scaled by how far the previous one actually
        // moved the loudness (heavily limited material responds less than one for one).
        var response = 1.0
        var peak: Double?
        for _ in 0..<6 {
            let off = targetLUFS - lufs
            if abs(off) <= 0.04 { break }
            let step = max(-24, min(24, off / response))
            let gain = pow(10, step / 20)
            buffer.scale(by: Float(gain))
            blocks.scale(by: gain)
            let report = limiter.process(&buffer)
            blocks.remeasure(report.changed, in: buffer)
            peak = report.truePeak
            let measured = blocks.integrated
            let moved = measured - lufs
            response = abs(step) > 0.01 ? max(0.2, min(1, moved / step)) : 1
            lufs = measured
        }
        if peak == nil {
            // On target as it came: the limiter still holds the ceiling.
            let report = limiter.process(&buffer)
            blocks.remeasure(report.changed, in: buffer)
            peak = report.truePeak
            lufs = blocks.integrated
        }
        return LoudnessMeasurement(integrated: lufs, truePeak: peak!)
    }
}
