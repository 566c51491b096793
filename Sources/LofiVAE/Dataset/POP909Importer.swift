import Foundation
import Theory

/// POP909 songs (`NNN/NNN.mid`, `beat_midi.txt`, `chord_midi.txt`, `key_audio.txt`) → phrases
/// as training samples. Every judgement call is counted; dataset/README.md states them.
public struct POP909Importer: Sendable {
    /// Phrase lengths in measures, drawn in turn (seeded by the song number) so the data holds
    /// several lengths and the decoder learns where songs end.
    public var phraseLengths = [4, 8, 8, 12, 16]
    /// How many times each song is cut: walk 0 is the one above; every further walk draws
    /// other lengths, so its phrase boundaries fall elsewhere. A phrase an earlier walk already
    /// cut (same first measure and length) is skipped. More training windows from the same
    /// songs; the split stays by song, so no validation song leaks in.
    public var cuts = 1

    public init(cuts: Int = 1) { self.cuts = max(1, cuts) }

    struct Segment { let start: Double; let end: Double; let label: String }
    /// The longest annotation time accepted (a day; songs are minutes long).
    static let maxSeconds = 86_400.0
    struct MelodyNote { let on: Double; let off: Double; let pitch: Int; let velocity: Int }

    /// Scale degree for each pitch class above the tonic: diatonic ones directly, the others
    /// with their accidental dropped as Hooktheory's "3f"/"4s" are (major: ♭3 ♭6 ♭7 borrowed
    /// from minor, ♯1, ♯4; minor: ♭2, the major third, ♯4, the Dorian sixth, the leading tone).
    static let degreeOf: [Mode: [Int]] = [
        //        0  1  2  3  4  5  6  7  8  9 10 11
        .ionian: [1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7],
        .aeolian: [1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7],
    ]

    /// Imports one song folder.
    public func importSong(at folder: URL) -> ImportResult {
        var result = ImportResult()
        let id = folder.lastPathComponent
        do {
            try importSong(folder, id: id, into: &result)
        } catch let e as SkipError {
            result.count("songs skipped: \(e.description)")
        } catch {
            result.count("songs skipped: \(error)")
        }
        return result
    }

    func importSong(_ folder: URL, id: String, into result: inout ImportResult) throws {
        func lines(_ name: String) throws -> [[Substring]] {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
                throw SkipError("\(name) missing or unreadable")
            }
            return text.split(whereSeparator: \.isNewline).map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }) }.filter { !$0.isEmpty }
        }
        // Times are seconds into a song of a few minutes: anything not finite or beyond a day
        // is refused before the grid arithmetic could turn it into an infinity or a NaN.
        func time(_ text: Substring, _ name: String, _ line: Int) throws -> Double? {
            guard let t = Double(text) else { return nil }
            guard t.isFinite, (0...Self.maxSeconds).contains(t) else {
                throw SkipError("\(name) line \(line): time \(text) is not within 0…\(Int(Self.maxSeconds)) s")
            }
            return t
        }
        let beatRows = try lines("beat_midi.txt").enumerated().compactMap { i, r -> (Double, Bool)? in
            guard r.count >= 3, let t = try time(r[0], "beat_midi.txt", i + 1), let d = Double(r[2]) else { return nil }
            return (t, d == 1)
        }
        for i in beatRows.indices.dropFirst() where beatRows[i].0 <= beatRows[i - 1].0 {
            throw SkipError("beat_midi.txt: beat \(i + 1) at \(beatRows[i].0) s is not after the one before")
        }
        let chords = try lines("chord_midi.txt").enumerated().compactMap { i, r -> Segment? in
            guard r.count >= 3, let a = try time(r[0], "chord_midi.txt", i + 1), let b = try time(r[1], "chord_midi.txt", i + 1) else { return nil }
            return Segment(start: a, end: b, label: String(r[2]))
        }
        let keys = try lines("key_audio.txt").enumerated().compactMap { i, r -> Segment? in
            guard r.count >= 3, let a = try time(r[0], "key_audio.txt", i + 1), let b = try time(r[1], "key_audio.txt", i + 1) else { return nil }
            return Segment(start: a, end: b, label: String(r[2]))
        }
        guard !beatRows.isEmpty, !keys.isEmpty else { throw SkipError("no beats or no key annotation") }
        let melody = try Self.melody(folder.appendingPathComponent("\(id).mid"))
        guard !melody.isEmpty else { throw SkipError("no MELODY track notes") }

        // Measures between downbeats; regular ones have four beats.
        let beats = beatRows.map(\.0)
        let downs = beatRows.indices.filter { beatRows[$0].1 }
        if let first = downs.first, melody.contains(where: { $0.on < beats[first] - 0.05 }) { result.count("pickup notes before the first downbeat (ignored)") }
        struct Measure { let beats: [Double]; let end: Double; var regular: Bool }
        var measures: [Measure] = []
        for (k, d) in downs.enumerated() where k + 1 < downs.count {
            let next = downs[k + 1]
            measures.append(Measure(beats: Array(beats[d..<next]), end: beats[next], regular: next - d == 4))
        }
        guard measures.count >= 4 else { throw SkipError("fewer than 4 measures") }

        // Per measure: key segment, chord, and the slot grid.
        var keyIndex: [Int?] = []
        var chordLabel: [String] = []
        for m in measures {
            let start = m.beats[0], end = m.end, mid = (start + end) / 2
            let k = keys.firstIndex { $0.start <= mid && mid < $0.end } ?? keys.firstIndex { mid < $0.end } ?? (keys.count - 1)
            let crosses = keys.contains { $0.start > start + 0.05 && $0.start < end - 0.05 }
            keyIndex.append(crosses ? nil : k)
            // The chord sounding longest in the measure; within 10 ms, the earlier one (the one
            // on the downbeat) wins, so exact halves do not fall to rounding noise.
            var best = "N", bestOverlap = 0.0
            for c in chords where c.end > start && c.start < end {
                let overlap = min(c.end, end) - max(c.start, start)
                if overlap > bestOverlap + 0.01 { bestOverlap = overlap; best = c.label }
            }
            chordLabel.append(best)
        }
        result.count("measures read", measures.count)
        result.count("irregular measures (not 4 beats; phrases break there)", measures.filter { !$0.regular }.count)
        result.count("measures across a key change (phrases break there)", keyIndex.filter { $0 == nil }.count)

        // Walk the song cutting phrases of the drawn lengths (once per cut).
        var cutAlready = Set<[Int]>()
        for cut in 0..<cuts {
            // The folder name is any text: a negative number keeps its bits, not a trap.
            var rng = SplitMix64(seed: UInt64(bitPattern: Int64(Int(id) ?? 0)) &* 0x9E37_79B9_7F4A_7C15 ^ 909 ^ (UInt64(cut) &* 0xD1B5_4A32_D192_ED03))
            var m = chordLabel.firstIndex { $0 != "N" } ?? measures.count
            while m < measures.count {
                let length = phraseLengths[rng.int(in: 0...(phraseLengths.count - 1))]
                guard m + length <= measures.count else { result.count("phrases dropped: song ends before the phrase"); break }
                let range = m..<(m + length)
                m += length
                guard cutAlready.insert([range.lowerBound, length]).inserted else { result.count("phrases already cut by an earlier walk"); continue }
                guard range.allSatisfy({ measures[$0].regular }) else { result.count("phrases dropped: irregular measure"); continue }
                guard let k = keyIndex[range.lowerBound], range.allSatisfy({ keyIndex[$0] == k }) else {
                    result.count("phrases dropped: key change inside"); continue
                }
                guard let key = Self.key(keys[k].label) else { result.count("phrases dropped: unreadable key '\(keys[k].label)'"); continue }
                // Chords: the longest-sounding chord of each measure, its root as a numeral.
                var numerals: [Int] = []
                var mapped = 0
                for i in range {
                    guard let root = Self.root(chordLabel[i]) else { numerals.append(0); continue }
                    let rel = root.semitones(above: key.tonic)
                    if !key.scale.contains(root) { mapped += 1 }
                    numerals.append(Self.degreeOf[key.mode]![rel])
                }
                let rests = numerals.filter { $0 == 0 }.count
                guard rests * 2 <= length else { result.count("phrases dropped: over half the measures without a chord"); continue }
                // Melody: notes onto eight slots a measure by the beat grid; earlier notes win.
                let t0 = measures[range.lowerBound].beats[0], t1 = measures[range.upperBound - 1].end
                // Notes that start inside the phrase (a note held over from before it is not its).
                let notes = melody.filter { $0.on >= t0 - 0.02 && $0.on < t1 }
                guard notes.count >= 4 else { result.count("phrases dropped: fewer than 4 melody notes"); continue }
                var grid: [Double] = []
                for i in range {
                    let b = measures[i].beats + [measures[i].end]
                    for j in 0..<4 { grid.append(b[j]); grid.append((b[j] + b[j + 1]) / 2) }
                }
                grid.append(t1)
                func position(_ t: Double) -> Double {
                    if t <= grid[0] { return 0 }
                    if t >= grid[grid.count - 1] { return Double(grid.count - 1) }
                    var lo = 0, hi = grid.count - 1
                    while hi - lo > 1 { let mid = (lo + hi) / 2; if grid[mid] <= t { lo = mid } else { hi = mid } }
                    return Double(lo) + (t - grid[lo]) / (grid[lo + 1] - grid[lo])
                }
                var degrees: [(degree: Int, octave: Int)] = []
                var chromatic = 0
                for n in notes {
                    let rel = ((n.pitch - key.tonic.semitone) % 12 + 12) % 12
                    let degree = Self.degreeOf[key.mode]![rel]
                    if !key.scale.contains(PitchClass(n.pitch)) { chromatic += 1 }
                    // The octave of the diatonic note the pitch was read as.
                    let diatonic = n.pitch - rel + key.mode.steps[degree - 1]
                    degrees.append((degree, Int((Double(diatonic - key.tonic.semitone) / 12).rounded(.down))))
                }
                let octaves = degrees.map(\.octave)
                var window = octaves.min()!
                if let hi = octaves.max(), hi > window {
                    var best = -1
                    for o in octaves.min()!..<hi {
                        let c = octaves.filter { $0 == o || $0 == o + 1 }.count
                        if c > best { best = c; window = o }
                    }
                }
                let slots = 8 * length
                var cells = [Int](repeating: 0, count: slots)
                // Onset to the nearest slot, at least one slot long (performed notes are often
                // shorter than a slot, and rounding both ends as for lead sheets would drop them);
                // earlier notes win where they overlap, as in the Hooktheory rule.
                for (n, d) in zip(notes, degrees).reversed() {
                    let a = Int(position(n.on).rounded(.toNearestOrEven))
                    let b = max(a + 1, Int(position(n.off).rounded(.toNearestOrEven)))
                    guard a < slots else { continue }
                    for s in max(0, a)..<min(slots, b) { cells[s] = 7 * min(max(d.octave - window, 0), 1) + d.degree }
                }
                result.count("chord roots outside the scale (accidental dropped)", mapped)
                result.count("melody notes outside the scale (accidental dropped)", chromatic)
                result.count("measures without a chord (rest, 0)", rests)
                let rows = stride(from: 0, to: slots, by: 8).map { Array(cells[$0..<($0 + 8)]) }
                let beatSpan = (t1 - t0) / Double(4 * length)
                let bpm = min(max((60 / beatSpan).rounded(), 20), 300)
                let onsets = rows.map { MelodyDegree.events(in: $0).count }.reduce(0, +)
                let velocity = Double(notes.map(\.velocity).reduce(0, +)) / Double(notes.count)
                let pitch = Double(notes.map(\.pitch).reduce(0, +)) / Double(notes.count)
                let song = Song(title: "POP909 \(id), measures \(range.lowerBound + 1)–\(range.upperBound)",
                                key: key.tonic.semitone + 1, mode: key.mode.rawValue, bpm: bpm,
                                energy: MoodEstimate.energy(bpm: bpm, onsetsPerMeasure: Double(onsets) / Double(length), meanVelocity: velocity),
                                valence: MoodEstimate.valence(mode: key.mode, majorChordShare: MoodEstimate.majorShare(numerals, key: key), meanPitch: pitch),
                                chords: numerals, melodies: rows)
                result.samples.append(TrainingSample(song: song, group: "pop909/\(id)"))
            }
        }
    }

    /// "Gb:maj" → G♭ major; "E:min" → E minor (Aeolian).
    static func key(_ label: String) -> Key? {
        let parts = label.split(separator: ":")
        guard parts.count == 2, let root = root(String(parts[0])) else { return nil }
        switch parts[1] {
        case "maj": return Key(tonic: root, mode: .ionian)
        case "min": return Key(tonic: root, mode: .aeolian)
        default: return nil
        }
    }

    /// Root pitch class of a chord label ("C#:min7/b7" → C♯); nil for "N" or "X".
    static func root(_ label: String) -> PitchClass? {
        let name = label.split(separator: ":").first.map(String.init) ?? label
        guard let letter = name.first, let base = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11][String(letter)] else { return nil }
        var pc = base
        for ch in name.dropFirst() {
            if ch == "#" { pc += 1 } else if ch == "b" { pc -= 1 } else { return nil }
        }
        return PitchClass(pc)
    }

    /// MELODY track notes in seconds, through the SMF reader and the file's tempo map.
    static func melody(_ url: URL) throws -> [MelodyNote] {
        guard let bytes = try? [UInt8](Data(contentsOf: url)) else { throw SkipError("MIDI file missing") }
        let file: MIDIFile
        do { file = try MIDIReader.read(bytes) } catch { throw SkipError("MIDI unreadable: \(error)") }
        guard let track = file.tracks.first(where: { $0.name == "MELODY" }) else { throw SkipError("no MELODY track") }
        // Ticks per quarter; 0 or an SMPTE division would make times NaN.
        guard (1..<0x8000).contains(file.division) else { throw SkipError("MIDI division \(file.division) is not ticks per quarter note") }
        // Tempo changes from every track (format 1 keeps them in the first).
        var tempos: [(tick: Int, micros: Int)] = []
        for t in file.tracks {
            for e in t.events { if case .meta(0x51, let d) = e.message, d.count == 3 { tempos.append((e.tick, Int(d[0]) << 16 | Int(d[1]) << 8 | Int(d[2]))) } }
        }
        // File order among equal ticks; the SMF default (120 bpm) only until the first change.
        tempos = tempos.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        if tempos.first?.tick != 0 { tempos.insert((0, 500_000), at: 0) }
        let map = TempoMap(tempos, division: Double(file.division))
        func seconds(_ tick: Int) -> Double { map.seconds(tick) }
        var open: [Int: (Int, Int)] = [:]
        var notes: [MelodyNote] = []
        for e in track.events {
            switch e.message {
            case let .noteOn(_, k, v) where v > 0:
                open[k] = (e.tick, v)
            case let .noteOff(_, k, _), let .noteOn(_, k, 0):
                if let (start, v) = open.removeValue(forKey: k) {
                    notes.append(MelodyNote(on: seconds(start), off: seconds(e.tick), pitch: k, velocity: v))
                }
            default: break
            }
        }
        return notes.sorted { $0.on < $1.on }
    }
}

/// A MIDI tempo map as sorted change points with the time at each, so that a tick's time
/// is a binary search rather than a walk over every change (a file with many tempo events
/// took minutes the other way).
struct TempoMap {
    let ticks: [Int]
    let micros: [Int]
    let seconds: [Double]
    let division: Double

    /// `changes` sorted by tick, the first at tick 0.
    init(_ changes: [(tick: Int, micros: Int)], division: Double) {
        var ticks: [Int] = [], micros: [Int] = [], seconds: [Double] = []
        var s = 0.0
        for (i, c) in changes.enumerated() {
            if i > 0 { s += Double(c.tick - ticks[i - 1]) * Double(micros[i - 1]) / division / 1e6 }
            ticks.append(c.tick); micros.append(c.micros); seconds.append(s)
        }
        self.ticks = ticks; self.micros = micros; self.seconds = seconds; self.division = division
    }

    /// Seconds at `tick`: the last change strictly before it (a change at the tick itself
    /// takes effect after it) sets the rate.
    func seconds(_ tick: Int) -> Double {
        var lo = 0, hi = ticks.count   // first index with ticks[i] >= tick
        while lo < hi { let mid = (lo + hi) / 2; if ticks[mid] < tick { lo = mid + 1 } else { hi = mid } }
        guard lo > 0 else { return Double(tick) * 500_000 / division / 1e6 }
        let i = lo - 1
        return seconds[i] + Double(tick - ticks[i]) * Double(micros[i]) / division / 1e6
    }
}
