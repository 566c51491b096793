import Foundation
import Theory

/// Which bank and program of a particular soundfont plays each General MIDI program the
/// arranger asks for, so that each soundfont's best lo-fi sounds are used (a detuned
/// electric piano, a brush kit). Programs not listed play their General MIDI number.
public struct SoundfontProfile: Sendable, Equatable {
    public struct Preset: Sendable, Equatable, Hashable, CustomStringConvertible {
        public let bank: Int
        public let program: Int
        public init(_ bank: Int, _ program: Int) {
            self.bank = bank
            self.program = program
        }
        public var description: String { "\(bank):\(program)" }
    }

    public let name: String
    /// Lower-case fragment of the file name that identifies the soundfont.
    public let fileMatch: String
    /// General MIDI program → preset, for melodic channels.
    public let melodic: [Int: Preset]
    /// General MIDI drum kit number → preset (bank 128 is the percussion bank).
    public let kits: [Int: Preset]
    /// General MIDI percussion key → the key this soundfont's kit plays that drum on, where
    /// they differ.
    public var drumNotes: [Int: Int] = [:]

    public init(name: String, fileMatch: String, melodic: [Int: Preset], kits: [Int: Preset], drumNotes: [Int: Int] = [:]) {
        self.name = name
        self.fileMatch = fileMatch
        self.melodic = melodic
        self.kits = kits
        self.drumNotes = drumNotes
    }

    /// The key that plays General MIDI percussion key `note` in this soundfont.
    public func drumKey(_ note: Int) -> Int { drumNotes[note] ?? note }

    /// The preset for a part, before checking that the soundfont has it.
    public func preset(for part: Part) -> Preset {
        if part.role == .drums { return kits[part.program] ?? Preset(128, part.program) }
        return melodic[part.program] ?? Preset(0, part.program)
    }

    /// The profile for a soundfont file, by its name; plain General MIDI otherwise.
    public static func forSoundfont(at path: String) -> SoundfontProfile {
        let file = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        return known.first { file.contains($0.fileMatch) } ?? generalMIDI
    }

    public static let generalMIDI = SoundfontProfile(name: "General MIDI", fileMatch: "", melodic: [:], kits: [:])
}
