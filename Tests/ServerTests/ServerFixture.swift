import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Studio

/// A server as `lofi-render serve --model <the original checkpoint> --melody-temperature 0`
/// starts it, and the shared reference material beside the checkout.
enum ServerFixture {
    static let shared: URL = {
        if let env = ProcessInfo.processInfo.environment["LOFI_SHARED"] { return URL(fileURLWithPath: env) }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("reference/golden_decode.json").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("shared/ not found beside the checkout; set LOFI_SHARED")
    }()

    static let goldenPath = shared.appendingPathComponent("reference/golden_decode.json").path

    /// The original checkpoint, argmax melodies: the reference's decoding.
    static let originalModel = try! ModelChoice(path: shared.appendingPathComponent("reference/lofi2lofi_decoder.pth").path, melody: nil).load()

    /// For the router tests (`.router`: no socket, no threads of its own).
    static func server(model: LofiModel = originalModel) -> LofiServer {
        try! LofiServer(settings: ServerSettings(model: model, audio: AudioSettings()))
    }

    /// The bundled model with the command line's melody sampling, as `serve` runs by default.
    static let bundledModel = try! ModelChoice().load()

    /// Runs a Python script of the tests' own and returns what it printed.
    static func python(_ script: String, _ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return data
    }
}
