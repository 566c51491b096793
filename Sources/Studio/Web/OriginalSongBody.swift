import Foundation
import Theory

/// The original Lofi server's answer to `/decode` and `/predict`, byte for byte.
///
/// That server made the song JSON with Python's `json.dumps` (`", "` and `": "` separators,
/// ASCII only), laid it out by string replacement, and then sent that text through Flask's
/// `jsonify`, so the body is a JSON *string literal* holding the song JSON, plus a newline.
/// Its web client parses the body twice. The layout here is built from the structure rather
/// than by replacing text, so a title holding `{` or `, "` cannot break it; for every other
/// title the bytes are the same.
public enum OriginalSongBody {
    /// Whether the decoder's energy and valence fell outside 0…1 and were clamped: the
    /// original's `min(1, max(0, x))` then returned Python's *int* 0 or 1, printed without a
    /// decimal point, while an unclamped value that rounds to 1 printed as `1.0`.
    public struct Clamps: Sendable, Equatable {
        public var energy: Bool
        public var valence: Bool
        public init(energy: Bool, valence: Bool) { self.energy = energy; self.valence = valence }

        /// From the heads' raw outputs (`LofiModel.rawMoods`).
        public init(raw: (energy: Float, valence: Float)) {
            self.init(energy: !(raw.energy > 0 && raw.energy < 1), valence: !(raw.valence > 0 && raw.valence < 1))
        }

        /// The best guess without the raw outputs: a value of exactly 0 or 1 was clamped.
        public init(guessingFrom song: Song) {
            self.init(energy: song.energy == 0 || song.energy == 1, valence: song.valence == 0 || song.valence == 1)
        }
    }

    /// The inner text: the song's eight fields in the original's order and layout.
    public static func songJSON(_ song: Song, clamps: Clamps? = nil) -> String {
        let clamps = clamps ?? Clamps(guessingFrom: song)
        var s = "{\n"
        s += "  \"title\": \(song.title.map(pythonQuote) ?? "null"),\n"
        s += "  \"key\": \(song.key),\n"
        s += "  \"mode\": \(song.mode),\n"
        s += "  \"bpm\": \(pythonNumber(song.bpm, int: song.bpm == song.bpm.rounded())),\n"
        s += "  \"energy\": \(pythonNumber(song.energy, int: clamps.energy)),\n"
        s += "  \"valence\": \(pythonNumber(song.valence, int: clamps.valence)),\n"
        s += "  \"chords\": [" + song.chords.map(String.init).joined(separator: ", ") + "],\n"
        let rows = song.melodies.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }
        s += "  \"melodies\": " + (rows.isEmpty ? "[]" : "[\n    " + rows.joined(separator: ",\n    ") + "\n  ]")
        s += "\n}"
        return s
    }

    /// The whole body: the inner text as a JSON string literal, then a newline (Flask's).
    public static func body(_ song: Song, clamps: Clamps? = nil) -> String {
        pythonQuote(songJSON(song, clamps: clamps)) + "\n"
    }

    /// A string as Python's `json.dumps` writes it by default: printable ASCII as is,
    /// everything else escaped (`\uXXXX` in lower-case hex, UTF-16 pairs above the BMP).
    public static func pythonQuote(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }

    /// A number as Python printed it: an int as digits, a float by `repr` (the shortest
    /// round trip, always with a decimal point or an exponent, as Swift's `description`).
    static func pythonNumber(_ x: Double, int: Bool) -> String {
        if int, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}
