import Foundation
import Testing
import TestScratch
@testable import Render

@Suite struct SoundfontLocatorTests {
    let scratch = ScratchSpace()
    /// A scratch folder with the given files.
    func folder(_ files: [String]) throws -> String {
        let dir = try scratch.folder("sf").path
        for f in files { FileManager.default.createFile(atPath: dir + "/" + f, contents: Data("RIFF".utf8)) }
        return dir
    }

    @Test func lookupOrder() throws {
        let project = try folder(["b.sf3", "a.sf2", "notes.txt"])
        let system = try folder(["gm.sf2"])
        let explicit = try folder(["mine.sf2"]) + "/mine.sf2"
        let env = try folder(["env.sf2"]) + "/env.sf2"
        let all = SoundfontLocator(explicitPath: explicit, environment: ["LOFI_SOUNDFONT": env],
                                   projectFolder: project, systemPaths: [system + "/gm.sf2"])
        #expect(try all.locate() == explicit)
        var s = all
        s.explicitPath = nil
        #expect(try s.locate() == env)
        s.environment = [:]
        #expect(try s.locate() == project + "/a.sf2")
        s.projectFolder = try folder([])
        #expect(try s.locate() == system + "/gm.sf2")
    }

    @Test func missingSoundfontNamesEveryPlaceLooked() throws {
        let empty = try folder([])
        let s = SoundfontLocator(environment: [:], projectFolder: empty, systemPaths: ["/nonexistent/x.sf2", "/nonexistent/y.sf3"])
        do {
            _ = try s.locate()
            Issue.record("found a soundfont in empty places")
        } catch {
            let text = error.description
            for place in ["LOFI_SOUNDFONT", empty, "/nonexistent/x.sf2", "/nonexistent/y.sf3"] { #expect(text.contains(place)) }
        }
    }

    @Test func anExplicitPathThatIsMissingIsAnErrorNotSkipped() throws {
        let s = SoundfontLocator(explicitPath: "/nonexistent/z.sf2", environment: [:], projectFolder: try folder(["a.sf2"]))
        #expect(throws: SoundfontLocator.NotFound.self) { try s.locate() }
    }
}
