import Hummingbird
import Logging
import NIOCore
import Studio

/// The HTTP server: routes over Studio, one log line per request, and a clean stop on
/// SIGINT or SIGTERM (requests in flight are finished, open streams closed).
public struct LofiServer: Sendable {
    public let settings: ServerSettings
    public let logger: Logger
    /// The radio stations on air.
    public let dial: RadioDial
    let admission: RenderAdmission
    let assets: WebAssets

    /// Locates the soundfont first: a server that cannot render should not start.
    public init(settings: ServerSettings, logger: Logger = Logger(label: "lofi-render.serve")) throws(StudioError) {
        self.settings = settings
        self.logger = logger
        dial = RadioDial(model: settings.model, audio: settings.audio, soundfont: try settings.audio.locateSoundfont(),
                         maxStations: settings.maxStations, stationSettings: settings.station)
        assets = try WebAssets()
        admission = RenderAdmission(running: settings.renders, queued: settings.renderQueue, perMinute: settings.rendersPerMinute)
    }

    /// Every route, in one router.
    func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestLog())
        OriginalLofiRoutes(model: settings.model).add(to: router)
        RadioRoutes(dial: dial).add(to: router)
        APIRoutes(model: settings.model, audio: settings.audio, soundfont: dial.soundfont, admission: admission).add(to: router)
        WebRoutes(assets: assets).add(to: router)
        return router
    }

    /// The application, for `run()` and for tests; `onRunning` gets the port it listens on.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let logger = self.logger
        return Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lofi-render"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("serving on http://\(settings.host):\(port)/")
                await onRunning(port)
            },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM.
    public func run() async throws {
        try await application().runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
