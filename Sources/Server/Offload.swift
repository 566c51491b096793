import Dispatch

/// CPU-bound work (decoding, rendering) moved off the event loops, which must stay free
/// to move bytes for every other client.
enum Offload {
    static let queue = DispatchQueue(label: "lofi-render.server.work", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
