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
        let count = max(1, min(workers, parts.count))
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
        let results = UnsafeMutableBufferPointer<Result<StereoBuffer, Error>?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let out = results
        nonisolated(unsafe) let stemWriters = stems
        let assigned = groups
        // Synthesizers are created one after another: FluidSynth fills global lookup tables
        // on first use without a lock, and a second thread could start before they are ready.
        var synths: [Synthesizer] = []
        for _ in 0..<count { synths.append(try Synthesizer(soundfont: soundfont, sampleRate: sampleRate)) }
        nonisolated(unsafe) let workers = synths
        DispatchQueue.concurrentPerform(iterations: count) { w in
            do {
                let synth = workers[w]
                var mix = StereoBuffer(frames: frames, sampleRate: sampleRate)
                var stemError: Error?
                for part in assigned[w] {
                    let writer = stemWriters[part.role]
                    mix.left.withUnsafeMutableBufferPointer { ml in
                        mix.right.withUnsafeMutableBufferPointer { mr in
                            synth.render(part, of: score, profile: profile, frames: frames) { l, r, start in
                                for i in 0..<l.count {
                                    ml[start + i] += l[i]
                                    mr[start + i] += r[i]
                                }
                                if let writer, stemError == nil {
                                    do { try writer.write(left: l, right: r) } catch { stemError = error }
                                }
                            }
                        }
                    }
                }
                if let stemError { throw stemError }
                out[w] = .success(mix)
            } catch {
                out[w] = .failure(error)
            }
        }
        var mix = try results[0]!.get()
        for w in 1..<count { mix.add(try results[w]!.get()) }
        return mix
    }

    /// The master stage applied to a pre-master mix; returns the final loudness.
    @discardableResult
    public func master(_ mix: inout StereoBuffer) -> LoudnessMeasurement? {
        chain?.process(&mix)
        return loudness?.process(&mix)
    }
}
