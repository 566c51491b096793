import Foundation
import Studio

/// The page, its script and style, and the OpenAPI document, read once at start from the
/// resource folder SwiftPM puts beside the executable (as the bundled model is), so the
/// server needs no network and no CDN. Served by fixed name only: no request path ever
/// becomes a file path.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    /// URL path → asset.
    let byPath: [String: Asset]

    static let files: [(path: String, file: String, type: String)] = [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/web/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/web/style.css", "style.css", "text/css; charset=utf-8"),
        ("/openapi.json", "openapi.json", "application/json"),
    ]

    /// `$LOFI_WEB`, else `lofi-render_Server.resources/Web` beside the executable.
    static var folder: String? {
        if let env = ProcessInfo.processInfo.environment["LOFI_WEB"], !env.isEmpty { return env }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for dir in [exe, exe.deletingLastPathComponent()] {
            let path = dir.appendingPathComponent("lofi-render_Server.resources/Web").path
            if FileManager.default.fileExists(atPath: path + "/index.html") { return path }
        }
        return nil
    }

    init() throws(StudioError) {
        guard let folder = Self.folder else {
            throw StudioError("the web page (lofi-render_Server.resources beside the executable) is missing; set LOFI_WEB to its Web folder")
        }
        var assets: [String: Asset] = [:]
        for (path, file, type) in Self.files {
            guard let data = FileManager.default.contents(atPath: folder + "/" + file) else {
                throw StudioError(folder + "/" + file, "missing or unreadable")
            }
            assets[path] = Asset(bytes: Array(data), contentType: type)
        }
        byPath = assets
    }
}
