import Foundation
import Render
import Theory

/// An endless stream of one station's songs: each song rendered once, ahead of time, joined
/// to the last by the equal-power crossfade of `--mix`, and encoded once per format; every
/// listener of the station gets the same bytes (broadcast). A new listener starts a few
/// seconds behind the live point, sent at once so playback starts at once, then gets the
/// stream at real time. A listener that falls too far behind is dropped, not waited for.
///
/// Two threads: one renders, mixes and encodes ahead of the live point (a render takes
/// seconds of CPU, during which nothing may stall); the other sends what the clock says
/// is due, ten times a second.
public final class RadioStation: @unchecked Sendable {
    public struct Settings: Sendable {
        /// Seconds of audio a new listener gets at once.
        public var headStart = 3.0
        /// Seconds encoded ahead of the live point.
        public var lookahead = 20.0
        /// The next track is rendered once less than this much of the current one is left
        /// to encode: with the lookahead, a render has that long to finish before anyone waits.
        public var renderAhead = 30.0
        /// Seconds kept behind it for joining listeners.
        public var history = 10.0
        /// Seconds without a listener (or a look at what is playing) before the station stops.
        public var idleTimeout = 60.0
        /// Seconds a listener may fall behind before it is dropped.
        public var slowListener = 10.0
        /// Wall-clock seconds between writes to a listener. Each write costs a task wake-up
        /// and a socket write per listener whatever its size, so half a second at a time
        /// (five times fewer than the encoder's blocks) is what lets one station carry a
        /// hundred listeners for little more than its render; the head start keeps players fed.
        public var sendInterval = 0.5
        public var crossfade = 4.0
        public var sampleRate = 44100.0
        /// Stream seconds sent per wall-clock second: 1 is real time; more lets a preview or
        /// a test reach a track's end in seconds.
        public var speed = 1.0
        public init() {}
    }

    public let tuning: StationTuning
    public let settings: Settings
    public static let formats: [AudioFormat] = [.mp3, .ogg]
    let model: LofiModel
    let producer: TrackProducer
    let truePeak: Double
    /// Seconds of audio per encoder call.
    private let block = 0.1
    private let lock = NSRecursiveLock()
    /// Called once the station has stopped (idle, failed or told to).
    public var onStop: (@Sendable (RadioStation) -> Void)?

    // Guarded by `lock`.
    private var streams: [AudioFormat: EncodedStream] = [:]
    /// Formats asked for; the render thread starts their encoders (only those are encoded).
    private var wanted: Set<AudioFormat> = []
    private var listeners: [Int: Listener] = [:]
    private var nextListener = 0
    private var timeline: [(start: Double, track: NowPlaying.Track)] = []
    private var upcoming: NowPlaying.Track?
    private var encodedSeconds = 0.0
    private var started: ContinuousClock.Instant?
    private var lastInterest = ContinuousClock.now
    private var stopped = false
    /// Why the station stopped, when it failed.
    public private(set) var failure: String?

    struct Listener {
        var format: AudioFormat
        var continuation: AsyncStream<[UInt8]>.Continuation
    }

    /// Starts rendering at once; `producer` must be this station's own (it keeps a soundfont).
    public init(tuning: StationTuning, model: LofiModel, producer: TrackProducer, settings: Settings = Settings()) {
        self.tuning = tuning
        self.model = model
        self.producer = producer
        self.settings = settings
        truePeak = producer.settings.truePeak
        let render = Thread { [self] in produce() }
        render.name = "radio render \(tuning.name)"
        render.start()
        let send = Thread { [self] in publish() }
        send.name = "radio send \(tuning.name)"
        send.start()
    }

    // MARK: Listening

    /// Makes sure `format` is encoded, from a little before the live point on; nil once it
    /// is, or why it cannot be. Call before `listen`.
    public func prepare(_ format: AudioFormat, timeout: Double = 60) async -> String? {
        guard Self.formats.contains(format) else { return "a station streams \(Self.formats.map(\.rawValue).joined(separator: " or "))" }
        lock.withLock { _ = wanted.insert(format) }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            let (ready, failure, stopped) = lock.withLock { (streams[format] != nil, self.failure, self.stopped) }
            if let failure { return failure }
            if stopped { return "the station stopped" }
            if ready { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return "the \(format.rawValue) stream did not start within \(Int(timeout)) s"
    }

    /// A listener's bytes, from the head start to for ever (until the station stops, the
    /// listener falls behind, or the stream's consumer goes away).
    public func listen(_ format: AudioFormat) -> AsyncStream<[UInt8]> {
        let limit = max(1, Int(settings.slowListener / (settings.sendInterval * settings.speed)))
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingOldest(limit))
        lock.withLock {
            guard !stopped, let s = streams[format] else { continuation.finish(); return }
            let id = nextListener
            nextListener += 1
            lastInterest = .now
            let first = s.headers + s.bytes(from: liveTime() - settings.headStart, below: s.published)
            if !first.isEmpty { continuation.yield(first) }
            listeners[id] = Listener(format: format, continuation: continuation)
            continuation.onTermination = { [weak self] _ in self?.removeListener(id) }
        }
        return stream
    }

    private func removeListener(_ id: Int) {
        lock.withLock { _ = listeners.removeValue(forKey: id); lastInterest = .now }
    }

    public var listenerCount: Int { lock.withLock { listeners.count } }

    /// Whether the first seconds are encoded and the clock runs.
    public var isOnAir: Bool { lock.withLock { started != nil } }

    /// Waits until the station is on air or has failed; its failure, if it did.
    public func waitUntilOnAir(timeout: Double = 120) async -> String? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            let (on, failure) = lock.withLock { (started != nil, self.failure) }
            if let failure { return failure }
            if on { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return "the station did not start within \(Int(timeout)) s"
    }

    /// The track a listener hears now (the live point less the head start) and the next.
    public func nowPlaying() -> NowPlaying? {
        lock.withLock {
            lastInterest = .now
            let heard = max(0, liveTime() - settings.headStart)
            let half = settings.crossfade / 2
            // A track takes over halfway through the crossfade into it.
            guard let i = timeline.lastIndex(where: { $0.start + (timeline.first?.start == $0.start ? 0 : half) <= heard }) else { return nil }
            let next = i + 1 < timeline.count ? timeline[i + 1].track : upcoming
            return NowPlaying(station: tuning.name, playing: timeline[i].track, seconds: ((heard - timeline[i].start) * 1000).rounded() / 1000,
                              next: next, listeners: listeners.count)
        }
    }

    /// Stops rendering and sending, and ends every listener's stream.
    public func stop(failure: String? = nil) {
        let callback: (@Sendable (RadioStation) -> Void)? = lock.withLock {
            guard !stopped else { return nil }
            stopped = true
            if let failure { self.failure = failure }
            for l in listeners.values { l.continuation.finish() }
            listeners.removeAll()
            return onStop
        }
        callback?(self)
    }

    public var isStopped: Bool { lock.withLock { stopped } }

    /// Seconds of stream time due now (0 before the station is on air).
    private func liveTime() -> Double {
        guard let started else { return 0 }
        let d = started.duration(to: .now)
        return settings.headStart + settings.speed * (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    // MARK: Rendering, mixing, encoding

    private func produce() {
        do {
            var program = StationProgram(tuning: tuning)
            let rate = settings.sampleRate
            let blockFrames = Int(rate * block)
            var pending = StereoBuffer(frames: 0, sampleRate: rate)
            var pendingStart = 0
            let mixer = CrossfadeMixer(sampleRate: rate, crossfade: settings.crossfade, ceilingDBTP: truePeak) { b in
                pending.left += b.left
                pending.right += b.right
            }
            var trackStart = 0          // frames: where the next track's audio begins in the stream
            var streamFrames = 0        // frames encoded
            // The last seconds of the stream as PCM, so an encoder started for a newly asked
            // format begins a head start before the live point, like every other listener's.
            var history: [(time: Double, piece: StereoBuffer)] = []
            var next = try program.next(model: model)
            while !isStopped {
                let (toStart, live) = lock.withLock { (wanted.subtracting(streams.keys), liveTime()) }
                for format in toStart {
                    let stream = EncodedStream(format: format)
                    for (time, piece) in history where time >= live - settings.headStart - 2 * block {
                        stream.append(try stream.encode(piece), at: time)
                    }
                    lock.withLock { streams[format] = stream }
                }
                if pending.frames - pendingStart < Int(rate * settings.renderAhead) {
                    // Less than `renderAhead` of the current track is left unencoded: render
                    // the next now, while what is encoded ahead carries the listeners. All
                    // of it but its last crossfade joins the stream.
                    let audio = try producer.audio(next.song, seed: next.seed, sampleRate: rate)
                    let track = NowPlaying.Track(next.song, duration: audio.duration)
                    pending = StereoBuffer(left: Array(pending.left[pendingStart...]), right: Array(pending.right[pendingStart...]), sampleRate: rate)
                    pendingStart = 0
                    try mixer.append(audio)
                    ReturnedMemory.release()
                    let start = Double(trackStart) / rate
                    trackStart += max(0, audio.frames - mixer.overlapFrames)
                    next = try program.next(model: model)
                    let upcoming = NowPlaying.Track(next.song, duration: nil)
                    lock.withLock {
                        timeline.append((start, track))
                        if timeline.count > 8 { timeline.removeFirst() }
                        self.upcoming = upcoming
                    }
                    continue
                }
                let due = lock.withLock { liveTime() } + settings.lookahead
                if Double(streamFrames) / rate >= due && isOnAir || pending.frames - pendingStart < blockFrames {
                    Thread.sleep(forTimeInterval: block / 2)
                    continue
                }
                let piece = StereoBuffer(left: Array(pending.left[pendingStart..<(pendingStart + blockFrames)]),
                                         right: Array(pending.right[pendingStart..<(pendingStart + blockFrames)]), sampleRate: rate)
                pendingStart += blockFrames
                let time = Double(streamFrames) / rate
                streamFrames += blockFrames
                history.append((time, piece))
                let keep = Int((settings.headStart + settings.lookahead + 2) / block)
                if history.count > keep { history.removeFirst(history.count - keep) }
                var encoded: [(EncodedStream, [StreamFraming.Unit])] = []
                for stream in lock.withLock({ Array(streams.values) }) { encoded.append((stream, try stream.encode(piece))) }
                lock.withLock {
                    for (stream, units) in encoded { stream.append(units, at: time) }
                    encodedSeconds = Double(streamFrames) / rate
                    if started == nil && encodedSeconds >= settings.headStart { started = .now }
                }
            }
        } catch {
            stop(failure: "\(error)")
        }
    }

    // MARK: Sending

    private func publish() {
        while !isStopped {
            Thread.sleep(forTimeInterval: settings.sendInterval)
            let idle: Bool = lock.withLock {
                let live = liveTime()
                for (format, stream) in streams {
                    let chunk = stream.due(before: live)
                    stream.forget(before: live - settings.history - settings.headStart)
                    guard !chunk.isEmpty else { continue }
                    for (id, l) in listeners where l.format == format {
                        if case .dropped = l.continuation.yield(chunk) {
                            // Too far behind: end its stream rather than hold everyone up.
                            l.continuation.finish()
                            listeners.removeValue(forKey: id)
                        }
                    }
                }
                if !listeners.isEmpty { lastInterest = .now }
                return lastInterest.duration(to: .now) > .seconds(settings.idleTimeout)
            }
            if idle { stop() }
        }
    }
}

/// One format's encoder and the units it made, each stamped with its stream time.
final class EncodedStream {
    let encoder: StreamEncoder?
    var framing: StreamFraming
    var headers: [UInt8] = []
    private var units: [(time: Double, bytes: [UInt8])] = []
    /// Absolute index of `units[0]`, and of the first unit not yet sent.
    private var base = 0
    private(set) var published = 0

    init(format: AudioFormat) {
        encoder = try? StreamEncoder(format: format, title: "lofi-render radio")
        framing = StreamFraming(format: format)
    }

    func encode(_ piece: StereoBuffer) throws -> [StreamFraming.Unit] {
        guard let encoder else { throw AudioFileError("radio: the \(framing.format.rawValue) encoder did not start") }
        return framing.push(try encoder.encode(piece))
    }

    func append(_ new: [StreamFraming.Unit], at time: Double) {
        for u in new {
            if u.isHeader { headers += u.bytes } else { units.append((time, u.bytes)) }
        }
    }

    /// The bytes of units from stream time `from` on, below absolute index `end`.
    func bytes(from: Double, below end: Int) -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<max(0, min(units.count, end - base)) where units[i].time >= from { out += units[i].bytes }
        return out
    }

    /// The units now due (stream time before `live`) not yet sent; marks them sent.
    func due(before live: Double) -> [UInt8] {
        var out: [UInt8] = []
        while published - base < units.count, units[published - base].time < live {
            out += units[published - base].bytes
            published += 1
        }
        return out
    }

    /// Drops sent units older than `time`.
    func forget(before time: Double) {
        var n = 0
        while n < units.count, base + n < published, units[n].time < time { n += 1 }
        if n > 0 { units.removeFirst(n); base += n }
    }
}
