import Foundation
import ZIPFoundation

/// Imports a PyTorch zip checkpoint (`torch.save` of a state dict): `<root>/data.pkl` read by
/// the whitelisting `PickleReader`, tensor bytes from `<root>/data/<key>`.
public enum TorchCheckpoint {
    /// Bounds from what a Lofi2Lofi state dict needs (the original decoder's zip is 1 MB):
    /// no entry is inflated past its bound, whatever its header declares, so a zip bomb or
    /// a ZIP64 size near 2⁶³ stops with an error before memory is spent on it.
    static let maxPickleBytes = 16 << 20
    static let maxStorageBytes = 256 << 20
    static let maxTotalElements = 64 << 20
    static let maxTensors = 4096

    public static func load(_ url: URL) throws(CheckpointError) -> StateDict {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw .malformed("not a PyTorch zip checkpoint (\(error))")
        }
        guard let pklEntry = archive.first(where: { $0.path.hasSuffix("data.pkl") }) else {
            throw .malformed("zip holds no data.pkl")
        }
        let root = String(pklEntry.path.dropLast("data.pkl".count))
        let pickle = try read(pklEntry, in: archive, limit: maxPickleBytes)
        var reader = PickleReader(pickle)
        let value = try reader.run()
        guard case .dict(let items) = value else { throw .malformed("the pickle is not a state dict") }
        guard items.count <= maxTensors else { throw .malformed("state dict of \(items.count) tensors (at most \(maxTensors))") }

        var dict = StateDict()
        var storages: [String: [Float]] = [:]
        var storageBytes = 0, elements = 0
        for (k, v) in items {
            guard case .string(let name) = k, case .tensor(let ref) = v else {
                throw .malformed("state dict entry is not a name → tensor pair")
            }
            // PyTorch names storages "0", "1", …: a key is a plain name, never a path into
            // (or out of) the archive.
            guard (1...64).contains(ref.storageKey.utf8.count),
                  ref.storageKey.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F }) else {
                throw .malformed("tensor '\(name)' names storage '\(ref.storageKey)', which is not a plain name")
            }
            if storages[ref.storageKey] == nil {
                guard let entry = archive["\(root)data/\(ref.storageKey)"] else {
                    throw .missingTensor("\(name) (storage data/\(ref.storageKey) is not in the zip)")
                }
                let raw = try read(entry, in: archive, limit: maxStorageBytes - storageBytes)
                storageBytes += raw.count
                guard ref.storageCount <= raw.count / 4 else {
                    throw .truncated("storage data/\(ref.storageKey) has \(raw.count) bytes, \(ref.storageCount) float32 values declared")
                }
                var floats = [Float](repeating: 0, count: ref.storageCount)
                floats.withUnsafeMutableBytes { dst in raw.withUnsafeBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<dst.count])) } }
                storages[ref.storageKey] = floats
            }
            let storage = storages[ref.storageKey]!
            let count = try elementCount(ref.shape, name)
            guard ref.stride.count == ref.shape.count else { throw .malformed("tensor '\(name)' has \(ref.shape.count) dimensions but \(ref.stride.count) strides") }
            // Views share their storage here but become copies: their total is bounded too.
            let (total, over) = elements.addingReportingOverflow(count)
            guard !over, total <= maxTotalElements else {
                throw .malformed("tensors hold over \(maxTotalElements) values in all (a Lofi2Lofi decoder holds under 300,000)")
            }
            elements = total
            if count > 1 {
                var contiguous = [Int](repeating: 1, count: ref.shape.count)
                for i in stride(from: ref.shape.count - 2, through: 0, by: -1) { contiguous[i] = contiguous[i + 1] * ref.shape[i + 1] }
                guard ref.stride == contiguous else {
                    throw .malformed("tensor '\(name)' is not contiguous (stride \(ref.stride))")
                }
            }
            let (end, endOver) = ref.offset.addingReportingOverflow(count)
            guard ref.offset >= 0, !endOver, end <= storage.count else {
                throw .truncated("tensor '\(name)' reaches past its storage")
            }
            dict[name] = Tensor(shape: ref.shape, storage: Array(storage[ref.offset..<end]))
        }
        return dict
    }

    /// The product of a shape's dimensions, each non-negative, without overflow.
    static func elementCount(_ shape: [Int], _ name: String) throws(CheckpointError) -> Int {
        guard shape.count <= 8 else { throw .malformed("tensor '\(name)' has \(shape.count) dimensions") }
        var count = 1
        for d in shape {
            guard d >= 0 else { throw .malformed("tensor '\(name)' has a negative dimension (shape \(shape))") }
            let (p, over) = count.multipliedReportingOverflow(by: d)
            guard !over, p <= maxTotalElements else { throw .malformed("tensor '\(name)' of shape \(shape) is larger than any model this reads") }
            count = p
        }
        return count
    }

    struct EntryTooLarge: Error {}

    /// An entry's bytes, refusing one that declares or inflates to more than `limit`.
    static func read(_ entry: Entry, in archive: Archive, limit: Int) throws(CheckpointError) -> [UInt8] {
        let bound = max(0, limit)
        guard entry.uncompressedSize <= UInt64(bound) else {
            throw .malformed("zip entry \(entry.path) declares \(entry.uncompressedSize) bytes (at most \(bound) are read)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                // Stop inflating at the declared size: a lying header cannot grow it.
                guard out.count + chunk.count <= Int(entry.uncompressedSize) else { throw EntryTooLarge() }
                out += chunk
            }
        } catch is EntryTooLarge {
            throw .malformed("zip entry \(entry.path) inflates past its declared \(entry.uncompressedSize) bytes")
        } catch {
            throw .truncated("zip entry \(entry.path) cannot be read (\(error))")
        }
        return out
    }
}

/// Loads model parameters from either format, told apart by content (a zip starts with "PK").
public enum ModelFile {
    /// No Lofi2Lofi file (model or training state) comes near this; a larger path is refused
    /// before it is read.
    static let maxBytes = 1 << 30

    /// The tensors of the file at `path` (only those in `only`, when given), each checked to
    /// hold finite values: a NaN weight would decode to songs that are not JSON.
    public static func load(_ path: String, only: Set<String>? = nil) throws(CheckpointError) -> StateDict {
        let url = URL(fileURLWithPath: path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable("no such file, or not readable")
        }
        let magic = (try? handle.read(upToCount: 4)) ?? nil
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.close()
        guard size <= UInt64(maxBytes) else { throw .malformed("\(size) bytes, larger than any model file (\(maxBytes))") }
        var dict: StateDict
        if let magic, magic.starts(with: [0x50, 0x4B]) {
            dict = try TorchCheckpoint.load(url)
            if let only { dict = StateDict(dict.names.filter(only.contains).map { ($0, dict[$0]!) }) }
        } else {
            let bytes: [UInt8]
            do { bytes = [UInt8](try Data(contentsOf: url)) } catch { throw .unreadable(error.localizedDescription) }
            dict = try Safetensors.decode(bytes, only: only).0
        }
        try dict.checkFinite()
        return dict
    }
}
