import Dispatch

/// Runs `body(i)` for i in 0..<count on all cores and returns the results in order.
/// Results go through a raw buffer, one slot per task: writing a Swift array from several
/// threads is a data race even when the indices differ (the array's storage is shared).
/// The one parallel map of the project; Render, LofiVAE and the command line use it.
public func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    if count <= 1 { return (0..<count).map(body) }
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    nonisolated(unsafe) let out = slots
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let f = body
        DispatchQueue.concurrentPerform(iterations: count) { i in out[i] = f(i) }
    }
    return slots.map { $0! }
}
