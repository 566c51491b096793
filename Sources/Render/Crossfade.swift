import Foundation

/// Joins finished tracks into one continuous file with equal-power crossfades (cos/sin
/// gains, so uncorrelated material keeps its loudness through the overlap), streaming:
/// only the overlap is held between tracks. The overlaps are run through the true-peak
/// limiter, since two loud tails can sum above the ceiling.
public final class CrossfadeMixer {
    let writer: AudioFileWriter?
    let output: (StereoBuffer) throws(AudioFileError) -> Void
    let overlap: Int
    let limiter: TruePeakLimiter
    var tail: StereoBuffer?
    public private(set) var frames = 0

    public init(url: URL, format: AudioFormat, sampleRate: Double, crossfade: Double = 4, ceilingDBTP: Double = -1, title: String) throws(AudioFileError) {
        let writer = try AudioFileWriter(url: url, format: format, sampleRate: sampleRate, metadata: AudioMetadata(title: title, comment: "lofi-render playlist mix"))
        self.writer = writer
        output = { b throws(AudioFileError) in try writer.write(b) }
        overlap = Int(crossfade * sampleRate)
        limiter = TruePeakLimiter(ceilingDB: ceilingDBTP - 0.3)
    }

    /// Mixes into `output` instead of a file (the radio's encoder).
    public init(sampleRate: Double, crossfade: Double = 4, ceilingDBTP: Double = -1, output: @escaping (StereoBuffer) throws(AudioFileError) -> Void) {
        writer = nil
        self.output = output
        overlap = Int(crossfade * sampleRate)
        limiter = TruePeakLimiter(ceilingDB: ceilingDBTP - 0.3)
    }

    /// Frames of each overlap.
    public var overlapFrames: Int { overlap }

    /// Adds the next track.
    public func append(_ track: StereoBuffer) throws(AudioFileError) {
        var body = track
        if var previous = tail {
            let n = min(previous.frames, body.frames, overlap)
            for i in 0..<n {
                let t = Double(i) / Double(max(n, 1))
                let out = Float(cos(t * Double.pi / 2)), into = Float(sin(t * Double.pi / 2))
                previous.left[previous.frames - n + i] = previous.left[previous.frames - n + i] * out + body.left[i] * into
                previous.right[previous.frames - n + i] = previous.right[previous.frames - n + i] * out + body.right[i] * into
            }
            limiter.process(&previous)
            try write(previous)
            body = StereoBuffer(left: Array(body.left[n...]), right: Array(body.right[n...]), sampleRate: body.sampleRate)
        }
        // Keep the last `overlap` frames for the next crossfade; write the rest now.
        let keep = min(overlap, body.frames)
        let split = body.frames - keep
        try write(StereoBuffer(left: Array(body.left[..<split]), right: Array(body.right[..<split]), sampleRate: body.sampleRate))
        tail = StereoBuffer(left: Array(body.left[split...]), right: Array(body.right[split...]), sampleRate: body.sampleRate)
    }

    private func write(_ b: StereoBuffer) throws(AudioFileError) {
        try output(b)
        frames += b.frames
    }

    public func finish() throws(AudioFileError) {
        if let tail { try write(tail) }
        tail = nil
        try writer?.finish()
    }
}
