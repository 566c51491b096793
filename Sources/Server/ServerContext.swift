import Hummingbird
import NIOCore

/// Per-request context: Hummingbird's, plus who is asking (the per-client render rate).
struct ServerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's IP address; nil where there is none (the router tests' channel).
    let client: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies are read up to this; more is a 413.
    var maxUploadSize: Int { APIRoutes.maxBody }
}
