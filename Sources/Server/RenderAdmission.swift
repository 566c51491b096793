import Foundation

/// Who may render now: at most `running` renders at once with `queued` more waiting (a
/// full queue is a 503), and each client at most `perMinute` renders a minute (more is a
/// 429). Renders take seconds of CPU each; without this one client could take every core.
actor RenderAdmission {
    let running: Int
    let queued: Int
    let perMinute: Int
    private var active = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var recent: [String: [ContinuousClock.Instant]] = [:]

    init(running: Int, queued: Int, perMinute: Int) {
        self.running = max(1, running)
        self.queued = max(0, queued)
        self.perMinute = max(1, perMinute)
    }

    enum Refusal: Error { case tooMany(retryAfter: Int), full }

    /// Waits for a slot; `release()` must follow.
    func admit(_ client: String?) async throws(Refusal) {
        let now = ContinuousClock.now
        if let client {
            var times = recent[client, default: []].filter { $0.duration(to: now) < .seconds(60) }
            if times.count >= perMinute {
                let wait = 60 - Int(times[0].duration(to: now).components.seconds)
                throw .tooMany(retryAfter: max(1, wait))
            }
            times.append(now)
            recent[client] = times
        }
        if recent.count > 10_000 { recent = recent.filter { $0.value.contains { $0.duration(to: now) < .seconds(60) } } }
        if active < running {
            active += 1
            return
        }
        guard waiting.count < queued else { throw .full }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Renders finished, and cancelled because their client went away.
    private(set) var finished = 0, cancelled = 0

    func release(cancelled wasCancelled: Bool) {
        if wasCancelled { cancelled += 1 } else { finished += 1 }
        if waiting.isEmpty { active -= 1 } else { waiting.removeFirst().resume() }
    }
}
