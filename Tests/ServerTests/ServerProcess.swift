import Foundation

/// `lofi-render serve --port 0 …` in a process of its own for the length of a test: the
/// server then has its own threads, which the test process's busy suites cannot starve
/// (an in-process server shares Swift's two-thread pool with every test running beside it).
enum ServerProcess {
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lofi-render").path
    }

    /// The original checkpoint with argmax melodies: the reference's decoding.
    static var originalModel: [String] {
        ["--model", ServerFixture.shared.appendingPathComponent("reference/lofi2lofi_decoder.pth").path, "--melody-temperature", "0"]
    }

    /// Runs `body` with the port of a server started with `arguments`; stops it with SIGTERM
    /// afterwards and returns what `body` gave and everything the server logged.
    static func with<T: Sendable>(_ arguments: [String] = [], _ body: @Sendable (Int) async throws -> T) async throws -> (T, log: String) {
        try await withLog(arguments) { port, _ in try await body(port) }
    }

    /// `with`, the body also seeing the server's log as it grows.
    static func withLog<T: Sendable>(_ arguments: [String] = [], _ body: @Sendable (Int, LogBuffer) async throws -> T) async throws -> (T, log: String) {
        let server = try await start(arguments)
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        let result = try await body(server.port, server.log)
        kill(server.process.processIdentifier, SIGTERM)
        try await server.waitForExit(seconds: 20)
        return (result, server.finishLog())
    }

    /// A started server: its process, the port it listens on, what it has logged.
    struct Running {
        let process: Process
        let port: Int
        let log: LogBuffer
        let stderr: Pipe

        func waitForExit(seconds: Double) async throws {
            let stop = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < stop { try await Task.sleep(for: .milliseconds(20)) }
        }

        /// Everything logged, once the process has ended.
        func finishLog() -> String {
            stderr.fileHandleForReading.readabilityHandler = nil
            log.append(stderr.fileHandleForReading.readDataToEndOfFile())
            return log.text
        }
    }

    /// Starts `serve --port 0 arguments` and waits for its "serving on" line.
    static func start(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> Running {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["serve", "--port", "0"] + arguments
        p.environment = environment
        let err = Pipe()
        p.standardError = err
        let log = LogBuffer()
        err.fileHandleForReading.readabilityHandler = { h in log.append(h.availableData) }
        try p.run()
        func port() -> Int? {
            let text = log.text
            guard let r = text.range(of: "serving on http://127.0.0.1:"), let end = text[r.upperBound...].firstIndex(of: "/") else { return nil }
            return Int(text[r.upperBound..<end])
        }
        let deadline = Date().addingTimeInterval(120)
        // The log is read before the deadline is: a sleep on a starved cooperative pool (a
        // sanitizer build, a busy machine) can wake after the deadline with the line logged.
        while true {
            if let port = port() { return Running(process: p, port: port, log: log, stderr: err) }
            guard Date() < deadline && p.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(log.text)"])
    }

    /// Blocking socket work off Swift's cooperative pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            Thread { c.resume(with: Result { try work() }) }.start()
        }
    }
}

/// Bytes from a pipe, gathered from its reading thread.
final class LogBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ d: Data) { lock.withLock { data.append(d) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
