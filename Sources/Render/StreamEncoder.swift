import CSndFile
import Foundation

/// Encodes stereo float audio into an endless MP3 or Ogg Vorbis byte stream, block by
/// block, through libsndfile's virtual I/O: the bytes are handed out as they are made
/// instead of going to a file. What the encoder would write back into bytes already handed
/// out (a length patched in at the start) is dropped; a stream has no start to go back to.
public final class StreamEncoder {
    public let format: AudioFormat
    public let sampleRate: Double
    private let sink: ByteSink
    private var file: OpaquePointer?
    private var interleaved: [Float] = []

    /// `format` must be `.mp3` or `.ogg`.
    public init(format: AudioFormat, sampleRate: Double = 44100, title: String) throws(AudioFileError) {
        guard format == .mp3 || format == .ogg else { throw AudioFileError("a stream is MP3 or Ogg Vorbis, not \(format.rawValue)") }
        self.format = format
        self.sampleRate = sampleRate
        sink = ByteSink()
        var io = SF_VIRTUAL_IO(
            get_filelen: { ByteSink.from($0).length },
            seek: { offset, whence, user in ByteSink.from(user).seek(offset, whence) },
            read: { _, _, _ in 0 },
            write: { bytes, count, user in ByteSink.from(user).write(bytes, count) },
            tell: { ByteSink.from($0).position })
        var info = SF_INFO(frames: 0, samplerate: Int32(sampleRate), channels: 2, format: format.sndfileFormat, sections: 0, seekable: 0)
        guard let f = sf_open_virtual(&io, Int32(SFM_WRITE), &info, Unmanaged.passUnretained(sink).toOpaque()) else {
            throw AudioFileError("cannot start a \(format.rawValue) stream: \(AudioFileError.plain(String(cString: sf_strerror(nil))))")
        }
        file = f
        sf_command(f, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        if format == .mp3 {
            // Constant bit rate: a player that joins a stream guesses its length and pace
            // from the first frame it sees, which a variable rate makes wrong.
            var mode = Int32(SF_BITRATE_MODE_CONSTANT)
            sf_command(f, Int32(SFC_SET_BITRATE_MODE), &mode, Int32(MemoryLayout<Int32>.size))
        }
        // MP3: about 192 kbit/s (libsndfile maps 0…1 onto 320…32); Vorbis: quality 6 of 10.
        var level = format == .mp3 ? 0.45 : 0.4
        sf_command(f, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        sf_set_string(f, Int32(SF_STR_TITLE), title)
        sf_set_string(f, Int32(SF_STR_SOFTWARE), "lofi-render")
    }

    deinit {
        if let file { sf_close(file) }
    }

    /// Encodes `buffer` and returns the bytes the encoder has made since the last call.
    public func encode(_ buffer: StereoBuffer) throws(AudioFileError) -> [UInt8] {
        guard let file else { return [] }
        interleaved.removeAll(keepingCapacity: true)
        interleaved.reserveCapacity(2 * buffer.frames)
        for i in 0..<buffer.frames {
            interleaved.append(buffer.left[i])
            interleaved.append(buffer.right[i])
        }
        let written = interleaved.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress!, sf_count_t(buffer.frames)) }
        guard written == buffer.frames else { throw AudioFileError("stream: encoding failed: \(String(cString: sf_strerror(file)))") }
        return sink.take()
    }

    /// Ends the stream and returns its last bytes.
    public func finish() -> [UInt8] {
        if let file { sf_close(file) }
        file = nil
        return sink.take()
    }
}

/// The bytes libsndfile writes, collected until taken; positions count from the stream's start.
final class ByteSink {
    private(set) var length: sf_count_t = 0
    private(set) var position: sf_count_t = 0
    /// Bytes from `taken` on, not yet handed out.
    private var pending: [UInt8] = []
    private var taken: sf_count_t = 0

    static func from(_ user: UnsafeMutableRawPointer?) -> ByteSink {
        Unmanaged<ByteSink>.fromOpaque(user!).takeUnretainedValue()
    }

    func seek(_ offset: sf_count_t, _ whence: Int32) -> sf_count_t {
        let base: sf_count_t = switch whence {
        case SEEK_CUR: position
        case SEEK_END: length
        default: 0
        }
        let (target, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, target >= 0 else { return -1 }
        position = target
        return position
    }

    func write(_ bytes: UnsafeRawPointer?, _ count: sf_count_t) -> sf_count_t {
        guard let bytes, count > 0 else { return 0 }
        let source = UnsafeRawBufferPointer(start: bytes, count: Int(count))
        var at = position
        for byte in source {
            if at >= taken {
                let i = Int(at - taken)
                if i < pending.count { pending[i] = byte } else {
                    // A gap (a seek past the end) is zeros, as a file would hold.
                    if i > pending.count { pending += [UInt8](repeating: 0, count: i - pending.count) }
                    pending.append(byte)
                }
            }
            at += 1
        }
        position = at
        length = max(length, at)
        return count
    }

    /// The bytes written since the last call, in stream order.
    func take() -> [UInt8] {
        let out = pending
        taken += sf_count_t(pending.count)
        pending.removeAll(keepingCapacity: true)
        return out
    }
}
