import Foundation
import Theory

/// `Theory.concurrentMap`, or a plain loop inside a render that has one worker.
func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    RenderWorkers.current > 1 ? Theory.concurrentMap(count, body) : (0..<count).map(body)
}

/// How many cores the render on this thread may use: its `SongRenderer`'s `workers`, for the
/// span of `SongRenderer.withWorkers`. Thread-local, not a process-wide switch, so that a
/// playlist's one-core jobs and a full-width render elsewhere in the process never see each
/// other's setting; outside any render, every core.
enum RenderWorkers {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-local key left")
        return key
    }()

    /// This thread's budget (0 stored means unset: every core).
    static var current: Int {
        let stored = Int(bitPattern: pthread_getspecific(key))
        return stored > 0 ? stored : ProcessInfo.processInfo.activeProcessorCount
    }

    static func with<T>(_ workers: Int, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: max(1, workers)))
        defer { pthread_setspecific(key, previous) }
        return try body()
    }
}
