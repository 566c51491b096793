import Foundation
import Theory

/// Renders a Score to finished audio: the parts synthesised in parallel through FluidSynth
/// (optionally streamed to stem files), summed to the pre-master mix, then the lo-fi chain
/// and loudness normalisation (the master stage), then written through libsndfile.
public struct SongRenderer: Sendable {
    public var soundfont: String
    /// The drums' own soundfont; nil: the instruments' soundfont's kit.
    public var drumSoundfont: String?
    public var sampleRate: Double
    /// Seconds rendered after the last note so releases and reverb ring out.
    public var tail: Double
    /// Each part's own processing before the mix (bands, ducking, drum bus); nil: none.
    public var partSound: PartSound?
    public var chain: LofiChain?
    public var loudness: LoudnessNormalizer?
    public var workers: Int

    public init(soundfont: String, drumSoundfont: String? = nil, sampleRate: Double = 44100, tail: Double = 2.5,
                partSound: PartSound? = nil, chain: LofiChain? = nil,
                loudness: LoudnessNormalizer? = LoudnessNormalizer(),
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.soundfont = soundfont
        self.drumSoundfont = drumSoundfont
        self.partSound = partSound
        self.sampleRate = sampleRate
        self.tail = tail
        self.chain = chain
        self.loudness = loudness
        self.workers = max(1, workers)
    }

    /// The longest arrangement rendered: a render holds the whole track in memory (about
    /// 1 GB a quarter hour at 44.1 kHz with its parts), and the song rules allow 512 chords
    /// at 20 bpm, which would last 1 h 42 min and need 8.7 GB.
    public static let maxDuration = 30.0 * 60

    /// How many cores one render uses for synthesis.
    static let synthesisWorkers = 2

    /// Frames of a render of `score`: the arrangement plus the tail.
    public func frames(for score: Score) -> Int { Int(((score.duration + tail) * sampleRate).rounded(.up)) }

    /// The pre-master mix: every part synthesised, processed (`partSound`) and summed.
    /// `stems` receives each processed part's blocks as they are made (called from worker
    /// threads, one part per call sequence).
    public func synthesize(_ score: Score, stems: [PartRole: AudioFileWriter] = [:], session: RenderSession? = nil) throws -> StereoBuffer {
        guard score.duration <= Self.maxDuration else { throw RenderTooLong(duration: score.duration) }
        let frames = frames(for: score)
        let profile = SoundfontProfile.forSoundfont(at: soundfont)
        let drumProfile = drumSoundfont.map(SoundfontProfile.forSoundfont(at:)) ?? profile
        // Each part is played by a fresh synthesizer: FluidSynth's voice pool remembers what it
        // played before (and sums voices in pool order), so a part's last bits would depend on
        // its predecessor. With a synthesizer per part, a part's audio depends on the part
        // alone, and the workers can take parts from one queue, longest first (by voice time,
        // which FluidSynth's cost follows), so both cores stay busy until the last is done.
        func cost(_ p: Part) -> Int { p.notes.reduce(0) { $0 + $1.duration + 240 } * (p.role == .drums ? 2 : 1) }
        let parts = score.parts.filter { !$0.notes.isEmpty }.sorted { cost($0) > cost($1) }
        let parallel = workers > 1
        let count = parallel ? max(1, min(Self.synthesisWorkers, parts.count)) : 1
        // Parts are summed in 32-bit fixed point (steps of 2⁻²⁷, range ±16): integer addition
        // is exact and order-free, so the mix is the same bytes whichever worker rendered
        // which part, and on any number of cores. Every worker adds into one bus, a stretch
        // at a time under that stretch's lock (the workers are rarely at the same time of
        // the song), so that the render holds one song-long bus instead of one per worker:
        // 36 MB a song less memory to fault in. The bus is Float-typed but holds Int32 bits,
        // and becomes the mix's own storage in place.
        var left = [Float](repeating: 0, count: frames), right = left
        let failures = UnsafeMutableBufferPointer<Error?>.allocate(capacity: count)
        failures.initialize(repeating: nil)
        defer {
            _ = failures.deinitialize()
            failures.deallocate()
        }
        nonisolated(unsafe) let failed = failures
        nonisolated(unsafe) let stemWriters = stems
        let soundfont = self.soundfont, drumSoundfont = self.drumSoundfont, sampleRate = self.sampleRate
        let partSound = self.partSound
        // One loaded soundfont per worker, kept in the session.
        let session = session ?? RenderSession()
        let fonts = try session.fonts(count, path: soundfont, sampleRate: sampleRate)
        let drumFonts = try drumSoundfont.map { try session.fonts(count, path: $0, sampleRate: sampleRate) }
        nonisolated(unsafe) let lent = fonts
        nonisolated(unsafe) let lentDrums = drumFonts
        let queue = PartQueue(count: parts.count)
        let stretches = BusStretches(frames: frames)
        FixedPoint.withBus(&left) { ml in
            FixedPoint.withBus(&right) { mr in
                nonisolated(unsafe) let (busL, busR) = (ml, mr)
                let body: (Int) -> Void = { w in
                    do {
                        var stemError: Error?
                        while let index = queue.next() {
                            let part = parts[index]
                            let synth = try Synthesizer.make(soundfont: soundfont, sampleRate: sampleRate, borrowing: lent[w],
                                                             drumSoundfont: drumSoundfont, borrowingDrums: lentDrums?[w])
                            let writer = stemWriters[part.role]
                            var processing = partSound?.stream(for: part, of: score, sampleRate: sampleRate)
                            synth.render(part, of: score, profile: part.role == .drums ? drumProfile : profile, frames: frames,
                                         linear: partSound?.linearlyInterpolated.contains(part.role) ?? false) { l, r, start in
                                processing?.process(l.baseAddress!, r.baseAddress!, count: l.count, start: start)
                                stretches.withLocks(start..<(start + l.count)) {
                                    FixedPoint.add(UnsafeBufferPointer(l), to: busL + start)
                                    FixedPoint.add(UnsafeBufferPointer(r), to: busR + start)
                                }
                                if let writer, stemError == nil {
                                    do { try writer.write(left: UnsafeBufferPointer(l), right: UnsafeBufferPointer(r)) } catch { stemError = error }
                                }
                            }
                            if let stemError { throw stemError }
                        }
                    } catch {
                        queue.stop()
                        failed[w] = error
                    }
                }
                if count > 1 {
                    nonisolated(unsafe) let run = body
                    DispatchQueue.concurrentPerform(iterations: count) { run($0) }
                } else {
                    body(0)
                }
                FixedPoint.toFloat(ml, count: frames)
                FixedPoint.toFloat(mr, count: frames)
            }
        }
        if let error = failures.lazy.compactMap({ $0 }).first { throw error }
        return StereoBuffer(left: left, right: right, sampleRate: sampleRate)
    }

    /// Locks over stretches of the mix bus: a worker adding a block holds the locks of the
    /// stretches it covers, taken in order.
    final class BusStretches: @unchecked Sendable {
        static let frames = 1 << 16
        private let locks: [NSLock]

        init(frames: Int) { locks = (0..<max(1, (frames + Self.frames - 1) / Self.frames)).map { _ in NSLock() } }

        func withLocks(_ range: Range<Int>, _ body: () -> Void) {
            guard !range.isEmpty else { return }
            let first = range.lowerBound / Self.frames, last = min(locks.count - 1, (range.upperBound - 1) / Self.frames)
            for i in first...last { locks[i].lock() }
            body()
            for i in first...last { locks[i].unlock() }
        }
    }

    /// The next part to play, for any worker; `stop()` ends the queue (a worker failed).
    final class PartQueue: @unchecked Sendable {
        private let count: Int
        private var taken = 0
        private let lock = NSLock()

        init(count: Int) { self.count = count }

        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard taken < count else { return nil }
            taken += 1
            return taken - 1
        }

        func stop() {
            lock.lock()
            taken = count
            lock.unlock()
        }
    }

    /// The master stage applied to a pre-master mix; returns the final loudness.
    @discardableResult
    public func master(_ mix: inout StereoBuffer) -> LoudnessMeasurement? {
        withWorkers {
            let measured = chain?.process(&mix, measuring: loudness != nil)
            return loudness?.process(&mix, measured: measured)
        }
    }

    /// Runs `body` with this renderer's core budget: the chain's, the meters' and the
    /// limiter's channel and block splits inside it use at most `workers` cores (one: none).
    /// A playlist job renders with `workers: 1` so that each song stays on its own core.
    public func withWorkers<T>(_ body: () throws -> T) rethrows -> T {
        try RenderWorkers.with(workers, body)
    }
}

/// Soundfonts kept loaded between renders: a playlist job renders many songs and reads the
/// soundfont once. One session per thread.
public final class RenderSession: @unchecked Sendable {
    private var loaded: [String: [LoadedSoundfont]] = [:]

    public init() {}

    func fonts(_ count: Int, path: String, sampleRate: Double) throws -> [LoadedSoundfont] {
        let key = "\(path)@\(sampleRate)"
        var list = loaded[key] ?? []
        while list.count < count { list.append(try LoadedSoundfont(path: path, sampleRate: sampleRate)) }
        loaded[key] = list
        return Array(list.prefix(count))
    }
}

/// The mix bus's fixed-point format. The bus lives in a Float array seen as Int32 while it
/// sums (`withBus`), so that it becomes the mix in place. The block loops are written so
/// that the compiler vectorises them: no call, no trap on the way.
enum FixedPoint {
    static let scale: Float = 134_217_728  // 2^27

    /// Round half to even, as `lrintf` does in the default rounding mode, without a call or
    /// a range trap: adding 1.5 · 2⁵² to a double leaves it rounded to an integer whose low
    /// 32 bits are that integer's two's complement (|x| < 2³¹ here).
    @inline(__always)
    static func quantize(_ x: Float) -> Int32 {
        let scaled = Double(max(-15.99, min(15.99, x)) * scale)
        return Int32(truncatingIfNeeded: (scaled + 0x1.8p52).bitPattern)
    }

    @inline(__always)
    static func float(_ x: Int32) -> Float { Float(x) / scale }

    /// Runs `body` on `array`'s storage seen as a fixed-point bus.
    static func withBus<R>(_ array: inout [Float], _ body: (UnsafeMutablePointer<Int32>) throws -> R) rethrows -> R {
        try array.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { var none: Int32 = 0; return try body(&none) }  // no frames
            return try base.withMemoryRebound(to: Int32.self, capacity: p.count, body)
        }
    }

    /// Runs `body` on a bus held in `array`, read only.
    static func withBus<R>(_ array: [Float], _ body: (UnsafePointer<Int32>) throws -> R) rethrows -> R {
        try array.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { var none: Int32 = 0; return try body(&none) }  // no frames
            return try base.withMemoryRebound(to: Int32.self, capacity: p.count, body)
        }
    }

    /// Adds a block, quantised, to the bus from `bus` on.
    @inline(__always)
    static func add(_ block: UnsafeBufferPointer<Float>, to bus: UnsafeMutablePointer<Int32>) {
        guard let x = block.baseAddress else { return }
        for i in 0..<block.count { bus[i] &+= quantize(x[i]) }
    }

    /// Turns a bus from Int32 sums into the Float samples, in place.
    static func toFloat(_ bus: UnsafeMutablePointer<Int32>, count: Int) {
        for i in 0..<count { bus[i] = Int32(bitPattern: float(bus[i]).bitPattern) }
    }
}

/// A song whose arrangement lasts longer than `SongRenderer.maxDuration`.
public struct RenderTooLong: Error, Sendable, CustomStringConvertible {
    public let duration: Double
    public var description: String {
        func clock(_ s: Double) -> String { let t = Int(s.rounded()); return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60) }
        return "the arrangement lasts \(clock(duration)), longer than the \(clock(SongRenderer.maxDuration)) a render may last; use fewer chords or a faster tempo (MIDI output has no such limit)"
    }
}
