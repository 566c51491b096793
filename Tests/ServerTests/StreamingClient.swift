import Foundation

/// A bare HTTP/1.1 client over a POSIX socket, for streams: it sends one GET and reads the
/// chunked body for as long as asked, recording when bytes arrived. (URLSession and the
/// test framework's client wait for a body's end, which a radio stream never reaches.)
struct StreamingClient {
    struct Received {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        /// (seconds since the request was sent, body bytes received by then)
        var arrivals: [(Double, Int)]
        /// The body ended (the server closed the stream), rather than the time running out.
        var ended: Bool
    }

    enum Failure: Error { case connect(Int32), malformed(String) }

    static func get(port: Int, _ path: String, for seconds: Double, headers: [String: String] = [:]) throws -> Received {
        try request(port: port, "GET", path, for: seconds, headers: headers)
    }

    /// Sends `method path` with `body`, reads the answer for at most `seconds`, then closes.
    static func request(port: Int, _ method: String, _ path: String, body: [UInt8] = [], for seconds: Double,
                        headers: [String: String] = [:]) throws -> Received {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { throw Failure.connect(errno) }
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if method != "GET" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }   // the server may refuse a large body before reading it all
            sent += n
        }

        let start = Date()
        var raw: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var arrivals: [(Double, Int)] = []
        var closed = false
        var parsed: (status: Int, headers: [String: String], bodyStart: Int)?
        var body: [UInt8] = []
        var ended = false
        while Date().timeIntervalSince(start) < seconds && !closed && !ended {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { closed = true } else if n > 0 { raw += buffer[0..<n] }
            if parsed == nil { parsed = try Self.head(raw) }
            if let p = parsed {
                (body, ended) = try dechunk(Array(raw[p.bodyStart...]), chunked: p.headers["transfer-encoding"] == "chunked")
                if let length = p.headers["content-length"].flatMap({ Int($0) }), body.count >= length { ended = true }
                if n > 0 { arrivals.append((Date().timeIntervalSince(start), body.count)) }
            }
        }
        guard let p = parsed else { throw Failure.malformed("no response head") }
        return Received(status: p.status, headers: p.headers, body: body, arrivals: arrivals, ended: ended || closed)
    }

    static func head(_ raw: [UInt8]) throws -> (Int, [String: String], Int)? {
        guard let end = (0..<max(0, raw.count - 3)).first(where: { raw[$0] == 13 && raw[$0 + 1] == 10 && raw[$0 + 2] == 13 && raw[$0 + 3] == 10 }) else { return nil }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { throw Failure.malformed(lines.first ?? "") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, end + 4)
    }

    /// The body so far, and whether its last chunk (size 0) arrived.
    static func dechunk(_ data: [UInt8], chunked: Bool) throws -> ([UInt8], Bool) {
        guard chunked else { return (data, false) }
        var out: [UInt8] = []
        var at = 0
        while true {
            guard let lineEnd = (at..<max(at, data.count - 1)).first(where: { data[$0] == 13 && data[$0 + 1] == 10 }) else { return (out, false) }
            let sizeText = String(decoding: data[at..<lineEnd], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText, radix: 16) else { throw Failure.malformed("chunk size '\(sizeText)'") }
            if size == 0 { return (out, true) }
            let start = lineEnd + 2
            guard data.count >= start + size + 2 else { return (out, false) }
            out += data[start..<(start + size)]
            at = start + size + 2
        }
    }
}
