import Foundation

/// A URL query decoded as HTML forms and Flask do: `&`-separated `name=value` pairs,
/// `+` for a space, `%XX` for a byte; the bytes must be UTF-8.
///
/// Written here rather than taken from the router because a malformed escape must be a
/// 400 that says so, not a value silently left encoded.
struct QueryString: Sendable {
    var pairs: [(name: String, value: String)] = []

    /// At most this many bytes of query are read (the original client puts a 100-number
    /// latent or a verse of lyrics there; a whole text is at most 100 KB).
    static let maxBytes = 200 * 1024

    init(_ raw: String?) throws(RequestProblem) {
        guard let raw, !raw.isEmpty else { return }
        guard raw.utf8.count <= Self.maxBytes else { throw RequestProblem("the query is over \(Self.maxBytes / 1024) KB") }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let eq = part.firstIndex(of: "=")
            let name = try Self.decode(eq.map { part[..<$0] } ?? part[...])
            let value = if let eq { try Self.decode(part[part.index(after: eq)...]) } else { "" }
            pairs.append((name, value))
        }
    }

    /// The first value given for `name`.
    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    static func decode(_ text: Substring) throws(RequestProblem) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var it = text.utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let h = it.next().flatMap(hexValue), let l = it.next().flatMap(hexValue) else {
                    throw RequestProblem("malformed %-escape in the query")
                }
                bytes.append(h << 4 | l)
            default: bytes.append(b)
            }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw RequestProblem("the query is not UTF-8") }
        return s
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
