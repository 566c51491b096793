import Foundation

/// Why a song file could not be read: where (file, element, line/column or field) and what.
public struct SongFileError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Song {
    /// Reads a song JSON document: one song object or an array of them.
    /// Each element is checked on its own, so one bad song in a playlist does not hide the others.
    /// Throws only when the document itself is not JSON or not an object/array.
    public static func decodeDocument(_ data: Data) throws(SongFileError) -> [Result<Song, SongFileError>] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw SongFileError("malformed JSON: " + describeParseError(error, in: data))
        }
        if let array = root as? [Any] {
            if array.isEmpty { throw SongFileError("the array holds no songs") }
            return array.enumerated().map { i, element in
                Result { () throws(SongFileError) in try song(from: element, path: "[\(i)]") }
            }
        }
        return [Result { () throws(SongFileError) in try song(from: root, path: "") }]
    }

    /// Reads exactly one song (an object, or an array of one) and validates it.
    public static func decode(_ data: Data) throws(SongFileError) -> Song {
        let all = try decodeDocument(data)
        guard all.count == 1 else { throw SongFileError("expected one song, found an array of \(all.count)") }
        return try all[0].get()
    }

    /// Builds and validates one song from a parsed JSON value; `path` prefixes field names.
    static func song(from value: Any, path: String) throws(SongFileError) -> Song {
        guard let obj = value as? [String: Any] else {
            throw SongFileError("\(path.isEmpty ? "document" : path): expected a song object, found \(jsonKind(value))")
        }
        var problems: [SongProblem] = []
        func field(_ name: String) -> String { path + (path.isEmpty ? "" : ".") + name }
        func number(_ name: String, _ value: Any?) -> Double? {
            guard let value else { problems.append(SongProblem(field: field(name), message: "missing")); return nil }
            guard let x = jsonNumber(value) else {
                problems.append(SongProblem(field: field(name), message: "expected a number, found \(jsonKind(value))"))
                return nil
            }
            return x
        }
        func integer(_ name: String, _ value: Any?) -> Int? {
            guard let x = number(name, value) else { return nil }
            guard let i = Int(exactly: x) else {
                problems.append(SongProblem(field: field(name), message: "\(format(x)) is not a whole number"))
                return nil
            }
            return i
        }
        func integers(_ name: String, _ value: Any?) -> [Int]? {
            guard let value else { problems.append(SongProblem(field: field(name), message: "missing")); return nil }
            guard let list = value as? [Any] else {
                problems.append(SongProblem(field: field(name), message: "expected an array, found \(jsonKind(value))"))
                return nil
            }
            var out: [Int] = []
            out.reserveCapacity(list.count)
            var ok = true
            for (i, v) in list.enumerated() {
                if let n = integer("\(name)[\(i)]", v) { out.append(n) } else { ok = false }
            }
            return ok ? out : nil
        }

        var title: String?
        if let t = obj["title"], !(t is NSNull) {
            if let s = t as? String { title = s } else {
                problems.append(SongProblem(field: field("title"), message: "expected a string, found \(jsonKind(t))"))
            }
        }
        var id: String?
        if let t = obj["id"], !(t is NSNull) {
            if let s = t as? String { id = s } else {
                problems.append(SongProblem(field: field("id"), message: "expected a string, found \(jsonKind(t))"))
            }
        }
        var lyrics: [[String?]]?
        if let l = obj["lyrics"], !(l is NSNull) {
            if let rows = l as? [Any] {
                var out: [[String?]] = []
                var ok = true
                for (i, r) in rows.enumerated() {
                    guard let slots = r as? [Any] else {
                        problems.append(SongProblem(field: field("lyrics[\(i)]"), message: "expected an array of 8 syllables or nulls, found \(jsonKind(r))"))
                        ok = false
                        continue
                    }
                    var row: [String?] = []
                    for (j, v) in slots.enumerated() {
                        if v is NSNull { row.append(nil) } else if let s = v as? String { row.append(s) } else {
                            problems.append(SongProblem(field: field("lyrics[\(i)][\(j)]"), message: "expected a syllable or null, found \(jsonKind(v))"))
                            ok = false
                        }
                    }
                    out.append(row)
                }
                if ok { lyrics = out }
            } else {
                problems.append(SongProblem(field: field("lyrics"), message: "expected an array of rows, found \(jsonKind(l))"))
            }
        }
        let key = integer("key", obj["key"])
        let mode = integer("mode", obj["mode"])
        let bpm = number("bpm", obj["bpm"])
        let energy = number("energy", obj["energy"])
        let valence = number("valence", obj["valence"])
        let chords = integers("chords", obj["chords"])
        var melodies: [[Int]]?
        if let m = obj["melodies"] {
            if let rows = m as? [Any] {
                var out: [[Int]] = []
                var ok = true
                for (i, r) in rows.enumerated() {
                    if let row = integers("melodies[\(i)]", r) { out.append(row) } else { ok = false }
                }
                if ok { melodies = out }
            } else {
                problems.append(SongProblem(field: field("melodies"), message: "expected an array of rows, found \(jsonKind(m))"))
            }
        } else {
            problems.append(SongProblem(field: field("melodies"), message: "missing"))
        }

        // Range checks run on whatever parsed, so one pass reports every problem; a field
        // that already has a type problem is not reported twice.
        let song = Song(title: title, key: key ?? 1, mode: mode ?? 1, bpm: bpm ?? 90, energy: energy ?? 0.5,
                        valence: valence ?? 0.5, chords: chords ?? [1], melodies: melodies ?? [], id: id, lyrics: lyrics)
        let typed = Set(problems.map { $0.field.dropFirst(path.isEmpty ? 0 : path.count + 1).prefix { $0 != "[" } })
        for p in song.problems() where !typed.contains(p.field.prefix { $0 != "[" }) && !(chords == nil && p.field == "melodies") {
            problems.append(SongProblem(field: field(p.field), message: p.message))
        }
        if problems.isEmpty { return song }
        throw SongFileError(problems.map(\.description).joined(separator: "; "))
    }

    /// A JSON number from JSONSerialization as Double; booleans and strings are not numbers.
    /// (Booleans arrive as NSNumber of objCType "c"; `is Bool` is also true for 0 and 1.)
    public static func jsonNumber(_ value: Any) -> Double? {
        if value is String || value is NSNull { return nil }
        if let n = value as? NSNumber {
            if type(of: value) == Bool.self || String(cString: n.objCType) == "c" { return nil }
            return n.doubleValue
        }
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        return nil
    }

    static func jsonKind(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default:
            if jsonNumber(value) != nil { return "a number" }
            return "a boolean"
        }
    }

    /// Where and why a JSON document failed to parse ("Invalid value at line 2, column 14"):
    /// Foundation's "around character N" turned into line and column.
    public static func describeParseError(_ error: Error, in data: Data) -> String {
        let text = ((error as NSError).userInfo["NSDebugDescription"] as? String) ?? "not valid JSON"
        if data.isEmpty { return "the input is empty" }
        guard let r = text.range(of: "character "),
              let offset = Int(text[r.upperBound...].prefix { $0.isNumber }) else { return text }
        var line = 1, column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        let reason = text.components(separatedBy: " around").first ?? text
        return "\(reason) at line \(line), column \(column)"
    }
}

extension Song {
    /// Canonical JSON for this song, fields in the order of DATASET.md, numbers in their
    /// shortest exact form; the same song always gives the same bytes.
    public func jsonString(pretty: Bool = true) -> String {
        let nl = pretty ? "\n" : ""
        let ind = pretty ? "  " : ""
        let sp = pretty ? " " : ""
        var s = "{" + nl
        if let title { s += "\(ind)\"title\":\(sp)\(Song.jsonQuote(title)),\(nl)" }
        if let id { s += "\(ind)\"id\":\(sp)\(Song.jsonQuote(id)),\(nl)" }
        s += "\(ind)\"key\":\(sp)\(key),\(nl)"
        s += "\(ind)\"mode\":\(sp)\(mode),\(nl)"
        s += "\(ind)\"bpm\":\(sp)\(Song.format(bpm)),\(nl)"
        s += "\(ind)\"energy\":\(sp)\(Song.format(energy)),\(nl)"
        s += "\(ind)\"valence\":\(sp)\(Song.format(valence)),\(nl)"
        s += "\(ind)\"chords\":\(sp)[" + chords.map(String.init).joined(separator: "," + sp) + "],\(nl)"
        s += "\(ind)\"melodies\":\(sp)["
        s += melodies.map { "[" + $0.map(String.init).joined(separator: "," + sp) + "]" }
            .joined(separator: "," + (pretty ? "\n" + ind + ind : ""))
        s += "]"
        if let lyrics {
            s += ",\(nl)\(ind)\"lyrics\":\(sp)["
            s += lyrics.map { "[" + $0.map { $0.map(Song.jsonQuote) ?? "null" }.joined(separator: "," + sp) + "]" }
                .joined(separator: "," + (pretty ? "\n" + ind + ind : ""))
            s += "]"
        }
        s += nl + "}"
        return s
    }

    /// A JSON array of songs, one per line.
    public static func jsonArray(_ songs: [Song]) -> String {
        "[\n" + songs.map { $0.jsonString(pretty: false) }.joined(separator: ",\n") + "\n]\n"
    }

    /// A JSON string literal for `s` (quotes, backslashes and control characters escaped).
    public static func jsonQuote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
