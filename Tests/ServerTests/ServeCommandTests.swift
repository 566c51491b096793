import Foundation
import Testing
import TestScratch

/// `lofi-render serve` run as a user runs it: it says where it listens, logs a line per
/// request, and on SIGTERM or SIGINT closes open streams and exits 0.
@Suite(.serialized) struct ServeCommandTests {
    let scratch = ScratchSpace()

    static var binary: String { ServerProcess.binary }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalClosesOpenStreamsAndExitsCleanly(signal: Int32) async throws {
        let tmp = try scratch.folder("serve-tmp")
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmp.path
        let server = try await ServerProcess.start([], environment: environment)
        let (process, port) = (server.process, server.port)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        async let listening = ServerProcess.blocking { try StreamingClient.get(port: port, "/radio.mp3?seed=4", for: 240) }
        // Once the station is on air and bytes flow, stop the server.
        let onAir = try await ServerProcess.blocking { try StreamingClient.get(port: port, "/api/radio/now?seed=4", for: 180) }
        #expect(onAir.status == 200)
        try await Task.sleep(for: .seconds(2))
        kill(process.processIdentifier, signal)
        let stream = try await listening
        try await server.waitForExit(seconds: 15)
        #expect(!process.isRunning, "still running 15 s after the signal")
        if process.isRunning { process.terminate() }
        #expect(process.terminationStatus == 0)
        #expect(stream.status == 200 && stream.ended, "the stream was closed, not cut: ended \(stream.ended)")
        #expect(stream.body.count > 24_000 * 3, "\(stream.body.count) bytes before the stop")
        let log = server.finishLog()
        #expect(log.contains("GET /api/radio/now 200") && log.contains("GET /radio.mp3 200"), "\(log)")
        // No files left behind in its temporary folder.
        #expect(try FileManager.default.subpathsOfDirectory(atPath: tmp.path).filter { !$0.hasPrefix("lofi-render-serve-") || $0.contains("/") }.isEmpty)
    }

    @Test func badOptionsAreOneLineAndAnExitStatus() throws {
        for (args, message) in [(["--port", "70000"], "--port must be in 0...65535"), (["--max-stations", "0"], "--max-stations must be in 1...64"),
                                (["--loudness=-50"], "--loudness must be in -40...-5 LUFS")] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.binary)
            p.arguments = ["serve"] + args
            let err = Pipe()
            p.standardError = err
            try p.run()
            p.waitUntilExit()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 64, "\(args): \(p.terminationStatus)")
            #expect(text.contains(message), "\(args): \(text)")
        }
    }

    /// A soundfont that is not there stops the server before it listens.
    @Test func aMissingSoundfontStopsItBeforeItListens() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["serve", "--port", "0", "--soundfont", "/nonexistent/x.sf2"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 1)
        #expect(text.hasPrefix("serve: ") && text.contains("/nonexistent/x.sf2") && !text.contains("serving on"), "\(text)")
    }
}
