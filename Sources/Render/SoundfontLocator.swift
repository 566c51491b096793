import Foundation

/// Finds the soundfont to synthesise with, in a fixed order: an explicit path, then
/// `$LOFI_SOUNDFONT`, then `*.sf2`/`*.sf3` in the project's `soundfonts/` folder (sorted by
/// name), then the system's General MIDI soundfonts.
public struct SoundfontLocator: Sendable {
    public var explicitPath: String?
    public var environment: [String: String]
    public var projectFolder: String
    public var systemPaths: [String]

    /// Debian's General MIDI soundfonts: fluid-soundfont-gm, its alternative link,
    /// timgm6mb-soundfont and musescore-general-soundfont.
    public static let debianPaths = [
        "/usr/share/sounds/sf2/FluidR3_GM.sf2",
        "/usr/share/sounds/sf2/default-GM.sf2",
        "/usr/share/sounds/sf3/default-GM.sf3",
        "/usr/share/sounds/sf2/TimGM6mb.sf2",
        "/usr/share/sounds/sf3/MuseScore_General.sf3",
        "/usr/share/sounds/sf2/MuseScore_General.sf2",
    ]

    public init(explicitPath: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                projectFolder: String = SoundfontLocator.defaultProjectFolder,
                systemPaths: [String] = SoundfontLocator.debianPaths) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.projectFolder = projectFolder
        self.systemPaths = systemPaths
    }

    /// `soundfonts/` of the checkout this binary was built in: the nearest folder above the
    /// executable (…/.build/<triple>/<config>/lofi-render) that holds Package.swift.
    public static var defaultProjectFolder: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir.appendingPathComponent("soundfonts").path
            }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("soundfonts").path
    }

    /// Why no soundfont was found: every place looked, in order.
    public struct NotFound: Error, CustomStringConvertible, Sendable {
        public let looked: [String]
        public var description: String { "no readable soundfont; looked in: " + looked.joined(separator: ", ") }
    }

    /// The first readable soundfont. An explicit path or `$LOFI_SOUNDFONT` that is not
    /// readable is an error on its own, not skipped: the user asked for that file.
    public func locate() throws(NotFound) -> String {
        if let explicitPath {
            if Self.readable(explicitPath) { return explicitPath }
            throw NotFound(looked: ["--soundfont \(explicitPath) (not a readable file)"])
        }
        if let env = environment["LOFI_SOUNDFONT"], !env.isEmpty {
            if Self.readable(env) { return env }
            throw NotFound(looked: ["LOFI_SOUNDFONT=\(env) (not a readable file)"])
        }
        var looked: [String] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: projectFolder)) ?? [])
            .filter { $0.lowercased().hasSuffix(".sf2") || $0.lowercased().hasSuffix(".sf3") }
            .sorted()
        for name in names {
            let path = projectFolder + "/" + name
            if Self.readable(path) { return path }
        }
        looked.append("\(projectFolder)/*.sf2|*.sf3")
        for path in systemPaths {
            if Self.readable(path) { return path }
            looked.append(path)
        }
        throw NotFound(looked: ["LOFI_SOUNDFONT (unset)"] + looked)
    }

    static func readable(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
            && FileManager.default.isReadableFile(atPath: path)
    }
}
