import Foundation
import Testing
@testable import Studio

/// A station's lifecycle, in-process: it stops once nobody listens or looks for a while, and
/// it drops a listener that stops reading instead of holding the others up. The station's
/// render and send threads are its own; the test's body and its listeners run on threads of
/// their own too (`OwnThread`), and the body waits with `Thread.sleep`, because the suites
/// beside it hold Swift's two cooperative threads with synchronous work for seconds (a
/// `Task.sleep` once woke 8 s late there), and a listener that is not scheduled falls behind
/// and is rightly dropped.
@Suite(.serialized) struct RadioStationTests {
    /// A task executor on a serial queue of its own (an overcommitting Dispatch thread).
    final class OwnThread: TaskExecutor, @unchecked Sendable {
        private let queue = DispatchQueue(label: "radio station test")
        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }
    let thread = OwnThread()
    let body = OwnThread()

    /// Waits on the body's own thread (never on the cooperative pool's timer).
    static func nap(_ seconds: Double) { Thread.sleep(forTimeInterval: seconds) }

    static func station(seed: UInt64, _ adjust: (inout RadioStation.Settings) -> Void) throws -> RadioStation {
        var settings = RadioStation.Settings()
        adjust(&settings)
        let audio = AudioSettings()
        let producer = TrackProducer(settings: audio, soundfont: try audio.locateSoundfont(), keepsSoundfont: true, workers: 1)
        return RadioStation(tuning: StationTuning(seed: seed), model: PlaylistTests.model, producer: producer, settings: settings)
    }

    /// Looks at what is playing (interest, as the page shows) until the station is on air.
    static func watchUntilOnAir(_ station: RadioStation) async throws {
        let deadline = Date().addingTimeInterval(180), began = Date()
        var last = Date()
        while !station.isOnAir {
            try #require(Date() < deadline && !station.isStopped, "the station did not go on air: \(station.failure ?? "stopped, no failure") after \(Date().timeIntervalSince(began)) s, last look \(Date().timeIntervalSince(last)) s ago")
            last = Date()
            _ = station.nowPlaying()
            Self.nap(0.2)
        }
    }

    /// Seconds until the station stops, polled every 50 ms (nil: not within `limit`).
    static func secondsUntilStopped(_ station: RadioStation, limit: Double) async throws -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            if station.isStopped { return Date().timeIntervalSince(start) }
            Self.nap(0.05)
        }
        return nil
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        func raise() { lock.withLock { raised = true } }
        var isRaised: Bool { lock.withLock { raised } }
    }

    /// Someone looking at what the station plays every 200 ms, from a thread of its own, until
    /// told to stop: keeps the station on air while `prepare` waits (its polls are
    /// `Task.sleep`s, which the busy pool may wake seconds late).
    final class Looker: @unchecked Sendable {
        private let done = Flag()
        init(_ station: RadioStation) {
            let done = self.done
            Thread { while !done.isRaised { _ = station.nowPlaying(); Thread.sleep(forTimeInterval: 0.2) } }.start()
        }
        func stop() { done.raise() }
    }

    final class Bytes: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        func append(_ b: [UInt8]) { lock.withLock { bytes += b } }
        var all: [UInt8] { lock.withLock { bytes } }
    }

    /// A listener keeps a station on air past its idle timeout, and so does someone looking
    /// at what it plays; once both are gone it stops after the timeout, not before, and says so.
    @Test func aStationNobodyListensToOrLooksAtStopsAfterItsIdleTimeout() async throws {
        try await withTaskExecutorPreference(body) { try await idleStop() }
    }

    func idleStop() async throws {
        let idle = 3.0
        let station = try Self.station(seed: 31) { $0.idleTimeout = idle }
        let stopped = Flag()
        station.onStop = { _ in stopped.raise() }
        defer { station.stop() }
        try await Self.watchUntilOnAir(station)

        // Looked at every half second for twice the timeout: still on air.
        for _ in 0..<Int(4 * idle) {
            _ = station.nowPlaying()
            Self.nap(0.5)
        }
        #expect(!station.isStopped, "a station someone looks at stopped")

        // A listener for twice the timeout, nobody looking: still on air.
        let looker = Looker(station)
        #expect(await station.prepare(.mp3) == nil)
        let heard = Bytes()
        let stream = station.listen(.mp3)
        looker.stop()
        let listening = Task(executorPreference: thread) { for await chunk in stream { heard.append(chunk) } }
        Self.nap(2 * idle)
        #expect(!station.isStopped, "a station with a listener stopped")
        #expect(station.listenerCount == 1)
        #expect(heard.all.count > 24_000 * 3, "the listener heard \(heard.all.count) bytes")

        // The listener goes away: the station stops after the timeout, not before.
        listening.cancel()
        let after = try await Self.secondsUntilStopped(station, limit: 4 * idle)
        let seconds = try #require(after, "the station did not stop within \(4 * idle) s of its last listener leaving")
        #expect(seconds > idle - 0.2 && seconds < idle + 2, "stopped \(seconds) s after the last listener left")
        #expect(stopped.isRaised, "the station stopped without telling its dial")
        #expect(station.listenerCount == 0)
        #expect(station.failure == nil)
    }

    /// A listener that stops reading is dropped once it is `slowListener` behind: its stream
    /// ends after what it had been sent (a stretch of the station's bytes, no more than the
    /// head start and the allowed lag), while a listener that reads goes on at real time.
    @Test func aListenerThatStopsReadingIsDroppedAndTheOthersGoOn() async throws {
        try await withTaskExecutorPreference(body) { try await slowListenerDrop() }
    }

    func slowListenerDrop() async throws {
        let lag = 2.0
        let station = try Self.station(seed: 32) { $0.slowListener = lag }
        defer { station.stop() }
        try await Self.watchUntilOnAir(station)
        #expect(await station.prepare(.mp3) == nil)

        let fast = Bytes()
        let fastStream = station.listen(.mp3)
        let reading = Task(executorPreference: thread) { for await chunk in fastStream { fast.append(chunk) } }
        defer { reading.cancel() }
        let slow = station.listen(.mp3)          // never read until it has been dropped
        #expect(station.listenerCount == 2)
        Self.nap(lag + 3)
        #expect(station.listenerCount == 1, "the listener that reads nothing was not dropped")
        let fastAtDrop = fast.all.count

        // What the slow listener was sent, read now: it ends by itself, at once.
        let got = Bytes()
        let ended = Flag()
        let draining = Task(executorPreference: thread) {
            for await chunk in slow { got.append(chunk) }
            ended.raise()
        }
        let deadline = Date().addingTimeInterval(3)
        while !ended.isRaised && Date() < deadline { Self.nap(0.02) }
        draining.cancel()
        #expect(ended.isRaised, "the dropped listener's stream did not end")
        let slowBytes = got.all
        // The head start plus about the allowed lag (MP3: 24,000 bytes/s): a send the station's
        // thread makes late on a loaded machine carries more than half a second, so allow two
        // seconds over; a listener never dropped would have 3 + lag + 3 s by now.
        let seconds = Double(slowBytes.count) / 24_000
        #expect(seconds > 2.5 && seconds <= 3 + lag + 2, "the dropped listener got \(seconds) s")
        // Exactly a stretch of what the reading listener got.
        let all = fast.all
        let probe = Array(slowBytes.prefix(2048))
        let at = probe.isEmpty ? nil : (0...max(0, all.count - probe.count)).first { all[$0] == probe[0] && Array(all[$0..<($0 + probe.count)]) == probe }
        let start = try #require(at, "the dropped listener's bytes are not the station's")
        #expect(all.count - start >= slowBytes.count && Array(all[start..<(start + slowBytes.count)]) == slowBytes)

        // The reader goes on at real time after the drop.
        Self.nap(3)
        #expect(Double(fast.all.count - fastAtDrop) / 24_000 > 2.4, "the reader got \(Double(fast.all.count - fastAtDrop) / 24_000) s in 3 s")
        #expect(station.listenerCount == 1)
    }
}
