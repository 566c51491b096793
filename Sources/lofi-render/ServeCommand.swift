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
            Open http://HOST:PORT/ for the web player. Routes:
              GET  /decode?input=[100 numbers]   the original Lofi server's answer (its web client works against this one)
              GET  /predict?input=<lyrics>       Lyrics2Lofi, in the same format
              GET  /radio.mp3, /radio.ogg        an endless station (?seed=&mode=&key=&bpm=a-b&energy=a-b&valence=a-b)
              GET  /api/radio/now                what a station plays now and next
              POST /api/songs, /api/lyrics, /api/render?format=wav|flac|ogg|mp3|mid
              GET  /openapi.json                 the API described
            Every station's songs are rendered once and shared by all its listeners. Logs one line \
            per request to stderr; SIGINT or SIGTERM stops it cleanly (open streams are closed).
            """)

    @Option(help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(parsing: .unconditional, help: "Radio stations on air at once, at most (each renders on one core).")
    var maxStations = 4

    @Option(parsing: .unconditional, help: "Renders a client may ask /api/render for in a minute.")
    var rendersPerMinute = 20

    @Option(parsing: .unconditional, help: "/api/render renders at once (default: one per core).")
    var renders: Int?

    @Option(parsing: .unconditional, help: "/api/render requests that may wait for one; more are refused with 503.")
    var renderQueue = 8

    @Option(parsing: .unconditional, help: ArgumentHelp("Stream the radio at this many times real time (previews, tests).", valueName: "x"))
    var radioSpeed = 1.0

    @OptionGroup var model: ModelOption

    @OptionGroup(title: "Audio") var audio: AudioOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard !host.isEmpty else { throw ValidationError("--host must name an address") }
        guard (1...64).contains(maxStations) else { throw ValidationError("--max-stations must be in 1...64") }
        guard (1...10_000).contains(rendersPerMinute) else { throw ValidationError("--renders-per-minute must be in 1...10000") }
        if let renders, !(1...64).contains(renders) { throw ValidationError("--renders must be in 1...64") }
        guard (0...1000).contains(renderQueue) else { throw ValidationError("--render-queue must be in 0...1000") }
        guard radioSpeed.isFinite, (0.25...16).contains(radioSpeed) else { throw ValidationError("--radio-speed must be in 0.25...16") }
        if let (setting, problem) = audio.settings.problem() { throw ValidationError("--\(setting) \(problem)") }
    }

    func run() throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var settings = ServerSettings(model: try model.load(command: "serve"), audio: audio.settings)
        settings.host = host
        settings.port = port
        settings.maxStations = maxStations
        settings.rendersPerMinute = rendersPerMinute
        if let renders { settings.renders = renders }
        settings.renderQueue = renderQueue
        settings.station.speed = radioSpeed
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
