import Foundation
import Theory

/// Hooktheory (TheoryTab) `*_roman.json` sections → training samples, reproducing the Lofi
/// project's preprocessing exactly (DATASET.md): octave window, measure slots, fill order,
/// every all-rest measure dropped, at most 50 measures.
public enum HooktheoryImporter {
    /// The reference's result for one section (before padding): key 0…11, mode 0…6, and the
    /// chord and melody slots of the kept measures.
    public struct Section: Equatable, Sendable {
        public let key: Int
        public let mode: Int
        public let chords: [Int]
        public let melody: [Int]
        public let bpm: Double
        public let title: String
    }

    static let keyNames: [String: Int] = [
        "C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "E#": 5, "Fb": 4, "F": 5, "F#": 6, "Gb": 6,
        "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11, "Cb": 11, "B#": 0,
    ]

    /// Bounds on what a section can hold (TheoryTab sections are a few dozen measures,
    /// octaves −2…2); beyond them a crafted file would allocate or loop without end.
    static let maxBeats = 4096.0
    static let maxOctave = 16.0

    struct Event {
        let degree: Int
        let octave: Int
        let on: Double
        let off: Double
    }

    /// Parses and processes one section; throws a SkipReason for sections to skip.
    public static func section(_ data: Data) throws -> Section {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let meta = root["metadata"] as? [String: Any], let tracks = root["tracks"] as? [String: Any]
        else { throw SkipError("not a TheoryTab section (no metadata and tracks)") }
        func events(_ name: String, degreeKey: String) throws -> (all: [[String: Any]], notes: [Event]) {
            let list = (tracks[name] as? [[String: Any]]) ?? []
            var out: [Event] = []
            for (i, e) in list.enumerated() {
                // Every event's times, rests included (they set the section's length), are
                // checked before any arithmetic: a time of 1e20 would allocate without end.
                // Each time is checked on its own too: an event with an end and no start still
                // sets the section's length (found by fuzzing: an end of 4·10¹⁰⁶ beats trapped).
                let on = Song.jsonNumber(e["event_on"] as Any), off = Song.jsonNumber(e["event_off"] as Any)
                for (field, t) in [("event_on", on), ("event_off", off)] {
                    if let t, !(t.isFinite && (0...maxBeats).contains(t)) {
                        throw SkipError("\(name) event \(i) has \(field) \(t) (times must be finite, 0…\(Int(maxBeats)) beats)")
                    }
                }
                if let on, let off {
                    guard off > on else {
                        throw SkipError("\(name) event \(i) lasts from beat \(on) to \(off) (its end must come after its start)")
                    }
                }
                guard (e["isRest"] as? Bool) != true else { continue }
                guard let sd = e[degreeKey] as? String, let first = sd.first, let degree = Int(String(first)), (1...7).contains(degree),
                      let on, let off
                else { continue }
                let octaveValue = (e["octave"] as? String).map { Double($0) } ?? Song.jsonNumber(e["octave"] as Any) ?? 0
                guard let octaveValue, octaveValue.isFinite, abs(octaveValue) <= maxOctave, octaveValue == octaveValue.rounded() else {
                    throw SkipError("\(name) event \(i) has octave \(e["octave"] ?? "?") (an integer within ±\(Int(maxOctave)) expected)")
                }
                out.append(Event(degree: degree, octave: Int(octaveValue), on: on, off: off))
            }
            return (list, out)
        }
        let (melodyAll, notes) = try events("melody", degreeKey: "scale_degree")
        let (chordAll, chords) = try events("chord", degreeKey: "sd")
        if notes.isEmpty { throw SkipError("melody track empty or all rests") }
        if chords.isEmpty { throw SkipError("chord track empty or all rests") }
        guard let keyName = meta["key"] as? String, let key = keyNames[keyName] else {
            throw SkipError("unknown key '\(meta["key"] ?? "none")'")
        }
        let mode = (meta["mode"] as? String).flatMap(Int.init).map { $0 - 1 } ?? 0
        guard (0...6).contains(mode) else { throw SkipError("mode out of range") }
        let beats = (meta["beats_in_measure"] as? String).flatMap(Int.init) ?? 4
        guard (1...32).contains(beats) else { throw SkipError("beats_in_measure \(beats) is not in 1…32") }

        // Octave window: the lower bound o in [min, max) whose o, o+1 hold the most notes.
        let octaves = notes.map(\.octave)
        let lo = octaves.min()!, hi = octaves.max()!
        var window = lo
        if hi > lo {
            var best = -1
            for o in lo..<hi {
                let count = octaves.filter { $0 == o || $0 == o + 1 }.count
                if count > best { best = count; window = o }
            }
        }
        let ends = (melodyAll + chordAll).compactMap { Song.jsonNumber($0["event_off"] as Any) }
        let measures = Int((ends.max()! / Double(beats)).rounded(.up))
        let span = Double(measures * beats)
        var chordSlots = [Int](repeating: 0, count: measures)
        var noteSlots = [Int](repeating: 0, count: 8 * measures)
        func slots(_ e: Event, _ count: Int) -> Range<Int> {
            let a = Int((e.on / span * Double(count)).rounded(.toNearestOrEven))
            let b = Int((e.off / span * Double(count)).rounded(.toNearestOrEven))
            return max(0, a)..<min(count, max(a, b))
        }
        // Last to first, so that earlier events win where they overlap.
        for c in chords.reversed() { for i in slots(c, measures) { chordSlots[i] = c.degree } }
        for n in notes.reversed() {
            let octave = min(max(n.octave - window, 0), 1)
            for i in slots(n, 8 * measures) { noteSlots[i] = 7 * octave + n.degree }
        }
        // Every measure whose chord and notes are all rest goes, wherever it is (the
        // reference deletes them walking from the last measure to the first); then the
        // first 50 of what is left stay.
        func sounds(_ m: Int) -> Bool { chordSlots[m] != 0 || noteSlots[(8 * m)..<(8 * m + 8)].contains { $0 != 0 } }
        let kept = (0..<measures).filter(sounds).prefix(50)
        return Section(key: key, mode: mode, chords: kept.map { chordSlots[$0] }, melody: kept.flatMap { noteSlots[(8 * $0)..<(8 * $0 + 8)] },
                       bpm: (meta["BPM"] as? String).flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil } ?? 90, title: (meta["title"] as? String) ?? "")
    }

    /// Imports one `*_roman.json` file; `song` names the song it belongs to (its folder).
    public static func importFile(_ url: URL, song: String) -> ImportResult {
        var r = ImportResult()
        do {
            r.samples.append(try sample(section(Data(contentsOf: url)), group: song))
        } catch let e as SkipError {
            r.count("sections skipped: \(e.description)")
        } catch {
            r.count("sections skipped: unreadable (\(error.localizedDescription))")
        }
        return r
    }

    /// A section as a training sample (key and mode 1-based; mood derived from the music,
    /// velocity unknown so taken as average).
    public static func sample(_ s: Section, group: String) throws -> TrainingSample {
        guard !s.chords.isEmpty else { throw SkipError("no measures left after trimming") }
        let key = Key(tonic: PitchClass(s.key), mode: Mode(rawValue: s.mode + 1)!)
        let rows = stride(from: 0, to: s.melody.count, by: 8).map { Array(s.melody[$0..<($0 + 8)]) }
        let onsets = rows.map { MelodyDegree.events(in: $0).count }.reduce(0, +)
        let pitches = rows.flatMap { $0 }.compactMap { MelodyDegree($0)?.midiNote(in: key, baseTonic: 60 + s.key % 12 - (s.key >= 6 ? 12 : 0)) }
        let meanPitch = pitches.isEmpty ? 60 : Double(pitches.reduce(0, +)) / Double(pitches.count)
        let bpm = min(max(s.bpm.rounded(), 20), 300)
        let song = Song(title: s.title.isEmpty ? nil : s.title, key: s.key + 1, mode: s.mode + 1, bpm: bpm,
                        energy: MoodEstimate.energy(bpm: bpm, onsetsPerMeasure: Double(onsets) / Double(rows.count), meanVelocity: 80),
                        valence: MoodEstimate.valence(mode: key.mode, majorChordShare: MoodEstimate.majorShare(s.chords, key: key), meanPitch: meanPitch),
                        chords: s.chords, melodies: rows)
        return TrainingSample(song: song, group: group)
    }
}

/// A reason to skip an input, reported and counted.
public struct SkipError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
