import Foundation
import Theory

/// Renders a Score to finished audio: the parts synthesised in parallel through FluidSynth
/// (optionally streamed to stem files), summed to the pre-master mix, then the lo-fi chain
/// and loudness normalisation (the master stage), then written through libsndfile.
public struct SongRenderer: Sendable {
    public var soundfont: String
    public var sampleRate: Double
    /// Seconds rendered after the last note so releases and reverb ring out.
    public var tail: Double
    public var chain: LofiChain?
    public var loudness: LoudnessNormalizer?
    public var workers: Int

    public init(soundfont: String, sampleRate: Double = 44100, tail: Double = 2.5, chain: LofiChain? = nil,
                loudness: LoudnessNormalizer? = LoudnessNormalizer(),
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.soundfont = soundfont
        self.sampleRate = sampleRate
        self.tail = tail
        self.chain = chain
        self.loudness = loudness
        self.workers = max(1, workers)
    }

    /// Frames of a render of `score`: the arrangement plus the tail.
    public func frames(for score: Score) -> Int { Int(((score.duration + tail) * sampleRate).rounded(.up)) }

    /// The pre-master mix: every part synthesised and summed. `stems` receives each part's
    /// blocks as they are made (called from worker threads, one part per call sequence).
    public func synthesize(_ score: Score, stems: [PartRole: AudioFileWriter] = [:]) throws -> StereoBuffer {
        let frames = frames(for: score)
        let profile = SoundfontProfile.forSoundfont(at: soundfont)
        let parts = score.parts.filter { !$0.notes.isEmpty }
        let count = max(1, min(RenderThreads.parallel ? workers : 1, parts.count))
        // Balance the workers by voice time (what FluidSynth's cost follows), largest first;
        // each block also costs a little whatever is sounding.
        func cost(_ p: Part) -> Int { p.notes.reduce(0) { $0 + $1.duration + 240 } }
        var groups = [[Part]](repeating: [], count: count)
        var load = [Int](repeating: 0, count: count)
        for p in parts.sorted(by: { cost($0) > cost($1) }) {
            let w = load.indices.min { load[$0] < load[$1] }!
            groups[w].append(p)
            load[w] += cost(p)
        }
        // Parts are summed in 32-bit fixed point (steps of 2⁻²⁷, range ±16): integer addition
        // is exact and order-free, so the mix is the same bytes whichever worker rendered
        // which part, and on any number of cores.
        let results = UnsafeMutableBufferPointer<Result<(left: [Int32], right: [Int32]), Error>?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let out = results
        nonisolated(unsafe) let stemWriters = stems
        let assigned = groups
        let soundfont = self.soundfont, sampleRate = self.sampleRate
        DispatchQueue.concurrentPerform(iterations: count) { w in
            do {
                var left = [Int32](repeating: 0, count: frames), right = left
                var stemError: Error?
                for part in assigned[w] {
                    // A fresh synthesizer for every part: FluidSynth's voice pool remembers what
                    // played before (and sums voices in pool order), so a part rendered after
                    // another differs in the last bits from one rendered alone. Fresh ones make
                    // the render the same bytes whatever the grouping, jobs or cores.
                    let synth = try Synthesizer.make(soundfont: soundfont, sampleRate: sampleRate)
                    let writer = stemWriters[part.role]
                    left.withUnsafeMutableBufferPointer { ml in
                        right.withUnsafeMutableBufferPointer { mr in
                            synth.render(part, of: score, profile: profile, frames: frames) { l, r, start in
                                for i in 0..<l.count {
                                    ml[start + i] &+= FixedPoint.quantize(l[i])
                                    mr[start + i] &+= FixedPoint.quantize(r[i])
                                }
                                if let writer, stemError == nil {
                                    do { try writer.write(left: l, right: r) } catch { stemError = error }
                                }
                            }
                        }
                    }
                }
                if let stemError { throw stemError }
                out[w] = .success((left, right))
            } catch {
                out[w] = .failure(error)
            }
        }
        var (left, right) = try results[0]!.get()
        for w in 1..<count {
            let (l, r) = try results[w]!.get()
            for i in 0..<frames { left[i] &+= l[i]; right[i] &+= r[i] }
        }
        return StereoBuffer(left: left.map(FixedPoint.float), right: right.map(FixedPoint.float), sampleRate: sampleRate)
    }

    /// The master stage applied to a pre-master mix; returns the final loudness.
    @discardableResult
    public func master(_ mix: inout StereoBuffer) -> LoudnessMeasurement? {
        chain?.process(&mix)
        return loudness?.process(&mix)
    }
}

/// The mix bus's fixed-point format.
enum FixedPoint {
    static let scale: Float = 134_217_728  // 2^27

    @inline(__always)
    static func quantize(_ x: Float) -> Int32 { Int32((max(-15.99, min(15.99, x)) * scale).rounded()) }

    @inline(__always)
    static func float(_ x: Int32) -> Float { Float(x) / scale }
}
