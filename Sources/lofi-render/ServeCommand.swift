import ArgumentParser
import Dispatch
import Foundation
import Logging
import Server
import Studio

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the original Lofi web player's API, an endless radio and a web page over HTTP.",
        discussion: """
            Routes: GET /decode?input=[100 numbers] and GET /predict?input=<lyrics> answer as the \
            original Lofi server did (its web client works unmodified against this one). Logs one \
            line per request to stderr; SIGINT or SIGTERM stops it cleanly.
            """)

    @Option(help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @OptionGroup var model: ModelOption

    @OptionGroup(title: "Audio") var audio: AudioOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard !host.isEmpty else { throw ValidationError("--host must name an address") }
        if let (setting, problem) = audio.settings.problem() { throw ValidationError("--\(setting) \(problem)") }
    }

    func run() throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var settings = ServerSettings(model: try model.load(command: "serve"), audio: audio.settings)
        settings.host = host
        settings.port = port
        let server = try fail("serve") { try LofiServer(settings: settings) }
        // The command line is synchronous; the server runs on Swift's concurrency pool while
        // this thread waits for it to stop.
        let stopped = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            do { try await server.run() } catch { outcome.error = "\(error)" }
            stopped.signal()
        }
        stopped.wait()
        if let error = outcome.error {
            printError("serve: \(error)")
            throw ExitCode.failure
        }
    }
}

/// How the server stopped, handed from its task to the waiting thread.
private final class Outcome: @unchecked Sendable {
    var error: String?
}
