import Foundation
import Hummingbird
import Server
import Studio

/// A server listening on a free port for the length of a test.
enum LiveServer {
    static func with<T: Sendable>(_ server: LofiServer, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let port = PortBox()
        let app = server.application { await port.set($0) }
        let running = Task { try await app.run() }
        defer { running.cancel(); server.dial.stopAll() }
        while await port.value == nil { try await Task.sleep(for: .milliseconds(20)) }
        return try await body(await port.value!)
    }

    /// Blocking socket work off the cooperative pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            Thread { c.resume(with: Result { try work() }) }.start()
        }
    }
}

actor PortBox {
    var value: Int?
    func set(_ v: Int) { value = v }
}
