import ArgumentParser
import Foundation
import LofiVAE
import Theory

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Build training samples from song datasets.",
        subcommands: [Build.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn Hooktheory sections or POP909 songs into song JSON samples.",
            discussion: """
                hooktheory: IN is a folder searched for *_roman.json TheoryTab sections, processed \
                exactly as the original Lofi project did. pop909: IN is the POP909 folder (NNN/NNN.mid \
                with beat, chord and key annotations); songs are cut into 4- to 16-measure phrases. \
                Each sample is written as OUTDIR/<source>-<song>-<n>.json with a "source" field naming \
                its song (the train/validation split keeps songs whole). A summary of files read, \
                samples written and everything skipped or mapped, with counts, ends the run.
                """)

        enum Source: String, ExpressibleByArgument, CaseIterable { case hooktheory, pop909 }

        @Option(help: "hooktheory or pop909.")
        var source: Source

        @Argument(help: "Input folder.")
        var input: String

        @Option(name: .shortAndLong, help: "Output folder (created).")
        var output: String

        @Option(help: "pop909: cut each song this many times with other phrase boundaries (more, overlapping training windows; 1 = one cut).")
        var cuts = 1

        @Flag(help: "Replace the samples (*.json) an earlier build left in the output folder.")
        var force = false

        /// The sample files (`*.json`, not hidden) directly in `dir`.
        static func sampleFiles(in dir: URL) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        }

        func validate() throws {
            guard (1...16).contains(cuts) else { throw ValidationError("--cuts must be in 1...16") }
            guard cuts == 1 || source == .pop909 else { throw ValidationError("--cuts applies to --source pop909 only") }
        }

        func run() throws {
            let inURL = URL(fileURLWithPath: input)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: inURL.path, isDirectory: &isDir), isDir.boolValue else {
                printError("dataset build: \(input): not a folder")
                throw ExitCode.failure
            }
            let units: [URL]
            switch source {
            case .hooktheory:
                units = ((FileManager.default.enumerator(at: inURL, includingPropertiesForKeys: nil)?.allObjects as? [URL]) ?? [])
                    .filter { $0.lastPathComponent.hasSuffix("_roman.json") }.sorted { $0.path < $1.path }
            case .pop909:
                // fileExists follows symbolic links: a linked song folder is a song folder.
                units = ((try? FileManager.default.contentsOfDirectory(at: inURL, includingPropertiesForKeys: nil)) ?? [])
                    .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0.path, isDirectory: &d) && d.boolValue }
                    .sorted { $0.path < $1.path }
            }
            guard !units.isEmpty else {
                printError("dataset build: \(input): no \(source == .hooktheory ? "*_roman.json files" : "song folders") found")
                throw ExitCode.failure
            }
            let outURL = URL(fileURLWithPath: output)
            // Samples left from an earlier build would be trained on with the new ones.
            let stale = Self.sampleFiles(in: outURL)
            if !stale.isEmpty && !force {
                printError("dataset build: \(output): already holds \(stale.count) samples (*.json); pass --force to replace them or choose an empty folder")
                throw ExitCode.failure
            }
            do { try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true) } catch {
                printError("dataset build: \(output): cannot create folder: \(AtomicFile.reason(error))")
                throw ExitCode.failure
            }
            for name in stale where unlink(outURL.appendingPathComponent(name).path) != 0 {
                printError("dataset build: \(output)/\(name): cannot remove the old sample: \(String(cString: strerror(errno)))")
                throw ExitCode.failure
            }
            Interrupts.cleanOnInterrupt(outURL)
            let progress = ProgressBar(total: units.count, label: "dataset")
            let root = inURL.standardizedFileURL.path
            let source = self.source, cuts = self.cuts
            let results = concurrentMap(units.count) { k -> ImportResult in
                let url = units[k]
                defer { progress.advance() }
                switch source {
                case .pop909:
                    return POP909Importer(cuts: cuts).importSong(at: url)
                case .hooktheory:
                    let rel = String(url.standardizedFileURL.path.dropFirst(root.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                    return HooktheoryImporter.importFile(url, song: "hooktheory/" + (rel as NSString).deletingLastPathComponent)
                }
            }
            progress.finish()

            var counts: [String: Int] = [:]
            var failures = 0
            // Numbered per song across all its sections (a song's sections are separate files),
            // and never a name given twice: "a/b" and "a-b" both flatten to "a-b".
            var perGroup: [String: Int] = [:]
            var used = Set<String>()
            for r in results {
                for (k, v) in r.counts { counts[k, default: 0] += v }
                for s in r.samples {
                    let flat = s.group.replacingOccurrences(of: "/", with: "-")
                    var name: String
                    repeat {
                        perGroup[s.group, default: 0] += 1
                        name = flat + "-\(String(format: "%03d", perGroup[s.group]!)).json"
                    } while used.contains(name)
                    used.insert(name)
                    do {
                        try AtomicFile.write(Array((s.jsonString() + "\n").utf8), to: outURL.appendingPathComponent(name))
                    } catch {
                        failures += 1
                        if failures == 1 { printError("dataset build: \(error)") }
                    }
                }
            }
            // What is on disk, counted from the folder, not from what was attempted.
            let onDisk = Self.sampleFiles(in: outURL).filter(used.contains).count
            print("files read: \(units.count)")
            print("samples written: \(onDisk) to \(output)")
            for k in counts.keys.sorted() { print("  \(k): \(counts[k]!)") }
            if failures > 0 { throw ExitCode.failure }
        }
    }
}
