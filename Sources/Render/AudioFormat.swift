import CSndFile
import Foundation

/// An output audio format that libsndfile writes.
public enum AudioFormat: String, CaseIterable, Sendable {
    case wav, wav24, wavFloat = "wav-float", flac, ogg, opus, mp3

    /// The default format for a file name's extension; nil for an unknown one.
    public init?(fileExtension ext: String) {
        switch ext.lowercased() {
        case "wav", "wave": self = .wav
        case "flac": self = .flac
        case "ogg", "oga": self = .ogg
        case "opus": self = .opus
        case "mp3": self = .mp3
        default: return nil
        }
    }

    /// File extension written for this format.
    public var fileExtension: String {
        switch self {
        case .wav, .wav24, .wavFloat: "wav"
        case .flac: "flac"
        case .ogg: "ogg"
        case .opus: "opus"
        case .mp3: "mp3"
        }
    }

    /// libsndfile's major | minor format code.
    var sndfileFormat: Int32 {
        let code: Int = switch self {
        case .wav: Int(SF_FORMAT_WAV) | Int(SF_FORMAT_PCM_16)
        case .wav24: Int(SF_FORMAT_WAV) | Int(SF_FORMAT_PCM_24)
        case .wavFloat: Int(SF_FORMAT_WAV) | Int(SF_FORMAT_FLOAT)
        case .flac: Int(SF_FORMAT_FLAC) | Int(SF_FORMAT_PCM_16)
        case .ogg: Int(SF_FORMAT_OGG) | Int(SF_FORMAT_VORBIS)
        case .opus: Int(SF_FORMAT_OGG) | Int(SF_FORMAT_OPUS)
        case .mp3: Int(SF_FORMAT_MPEG) | Int(SF_FORMAT_MPEG_LAYER_III)
        }
        return Int32(code)
    }

    /// Opus only runs at 8, 12, 16, 24 or 48 kHz; everything else defaults to 44.1 kHz.
    public var defaultSampleRate: Double { self == .opus ? 48000 : 44100 }

    public func supports(sampleRate: Double) -> Bool {
        self != .opus || [8000, 12000, 16000, 24000, 48000].contains(sampleRate)
    }
}

/// Tags written where the format holds them (WAV INFO chunk, FLAC/Ogg comments, MP3 ID3).
public struct AudioMetadata: Sendable {
    public var title: String
    public var comment: String
    public init(title: String, comment: String) {
        self.title = title
        self.comment = comment
    }
}

/// Streams stereo float audio into a file through libsndfile. Writes go to a hidden
/// temporary file beside the target; `finish()` renames it into place, and an unfinished
/// writer removes it, so a failed or interrupted render leaves no partial file.
public final class AudioFileWriter {
    public let url: URL
    let temp: URL
    var file: OpaquePointer?
    var interleaved: [Float] = []
    /// 16-bit formats (WAV, FLAC) are quantised here, rounding to the nearest step:
    /// libsndfile's own float → 16-bit conversion differs by container (its WAV path rounds
    /// down, a −½-step bias; its FLAC path rounds), so the two would not hold the same samples.
    let quantizes: Bool
    var shorts: [Int16] = []

    public init(url: URL, format: AudioFormat, sampleRate: Double, metadata: AudioMetadata?) throws(AudioFileError) {
        self.url = url
        temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).\(format.fileExtension)")
        guard format.supports(sampleRate: sampleRate) else {
            throw AudioFileError("\(url.path): \(format) cannot be written at \(Int(sampleRate)) Hz; use --sample-rate 48000")
        }
        quantizes = format == .wav || format == .flac
        var info = SF_INFO(frames: 0, samplerate: Int32(sampleRate), channels: 2, format: format.sndfileFormat, sections: 0, seekable: 0)
        guard let f = sf_open(temp.path, Int32(SFM_WRITE), &info) else {
            let reason = String(cString: sf_strerror(nil))
            throw AudioFileError("\(url.path): cannot write: \(AudioFileError.plain(reason))")
        }
        file = f
        // Float input beyond ±1 is clipped, not wrapped, when converted to integer PCM.
        sf_command(f, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        // No PEAK chunk in float WAVs: it holds the time of writing, so the same render would
        // differ by the clock (stems and wav-float were not byte-identical run to run).
        sf_command(f, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
        if format == .flac {
            var level = 0.6
            sf_command(f, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        }
        if let metadata {
            sf_set_string(f, Int32(SF_STR_TITLE), metadata.title)
            sf_set_string(f, Int32(SF_STR_COMMENT), metadata.comment)
            sf_set_string(f, Int32(SF_STR_SOFTWARE), "lofi-render")
        }
    }

    deinit {
        if let file { sf_close(file) }
        if file != nil { try? FileManager.default.removeItem(at: temp) }
    }

    /// Appends frames from planar buffers.
    public func write(left: UnsafeBufferPointer<Float>, right: UnsafeBufferPointer<Float>) throws(AudioFileError) {
        guard let file else { return }
        let written: sf_count_t
        if quantizes {
            // Into a buffer of the block's size through pointers: appending checked the
            // array's capacity and uniqueness twice a frame.
            let n = left.count
            if shorts.count < 2 * n { shorts = [Int16](repeating: 0, count: 2 * n) }
            shorts.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    out[2 * i] = Self.pcm16(left[i])
                    out[2 * i + 1] = Self.pcm16(right[i])
                }
            }
            written = shorts.withUnsafeBufferPointer { sf_writef_short(file, $0.baseAddress!, sf_count_t(n)) }
        } else {
            interleaved.removeAll(keepingCapacity: true)
            for i in 0..<left.count {
                interleaved.append(left[i])
                interleaved.append(right[i])
            }
            written = interleaved.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress!, sf_count_t(left.count)) }
        }
        guard written == left.count else {
            throw AudioFileError("\(url.path): write failed: \(String(cString: sf_strerror(file)))")
        }
    }

    /// x in 16-bit steps of 2⁻¹⁵, rounded half away from zero (`roundf`, whatever the FPU's
    /// rounding mode), clipped to −32768…32767; NaN (never made by the chain) as silence.
    @inline(__always)
    static func pcm16(_ x: Float) -> Int16 {
        let v = (x * 32768).rounded()
        return v.isNaN ? 0 : Int16(min(32767, max(-32768, v)))
    }

    /// Writes a whole buffer in blocks.
    public func write(_ buffer: StereoBuffer) throws(AudioFileError) {
        var start = 0
        while start < buffer.frames {
            let end = min(buffer.frames, start + 65536)
            try buffer.left.withUnsafeBufferPointer { l throws(AudioFileError) in
                try buffer.right.withUnsafeBufferPointer { r throws(AudioFileError) in
                    try write(left: UnsafeBufferPointer(rebasing: l[start..<end]), right: UnsafeBufferPointer(rebasing: r[start..<end]))
                }
            }
            start = end
        }
    }

    /// Closes the file and moves it into place.
    public func finish() throws(AudioFileError) {
        guard let f = file else { return }
        let status = sf_close(f)
        file = nil
        guard status == 0 else {
            try? FileManager.default.removeItem(at: temp)
            throw AudioFileError("\(url.path): closing failed (\(status))")
        }
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw AudioFileError("\(url.path): cannot write: \(reason)")
        }
    }
}

public struct AudioFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// libsndfile's open errors for a path that cannot be created mention the system error.
    static func plain(_ s: String) -> String {
        if s.contains("Permission denied") { return "permission denied" }
        if s.contains("No such file") { return "no such folder" }
        return s
    }
}

/// Reads a whole audio file back as planar stereo (mono is duplicated): used by tests and
/// for checking renders.
public enum AudioFileReader {
    public static func read(_ path: String) throws(AudioFileError) -> (StereoBuffer, format: Int32) {
        var info = SF_INFO()
        guard let f = sf_open(path, Int32(SFM_READ), &info) else {
            throw AudioFileError("\(path): cannot read: \(String(cString: sf_strerror(nil)))")
        }
        defer { sf_close(f) }
        let frames = Int(info.frames), channels = Int(info.channels)
        var data = [Float](repeating: 0, count: frames * channels)
        let got = data.withUnsafeMutableBufferPointer { sf_readf_float(f, $0.baseAddress!, sf_count_t(frames)) }
        var buffer = StereoBuffer(frames: Int(got), sampleRate: Double(info.samplerate))
        for i in 0..<Int(got) {
            buffer.left[i] = data[i * channels]
            buffer.right[i] = data[i * channels + (channels > 1 ? 1 : 0)]
        }
        return (buffer, info.format)
    }
}
