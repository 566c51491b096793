import Foundation
import ZIPFoundation

/// Imports a PyTorch zip checkpoint (`torch.save` of a state dict): `<root>/data.pkl` read by
/// the whitelisting `PickleReader`, tensor bytes from `<root>/data/<key>`.
public enum TorchCheckpoint {
    public static func load(_ url: URL) throws(CheckpointError) -> StateDict {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw .malformed("not a PyTorch zip checkpoint (\(error))")
        }
        guard let pklEntry = archive.first(where: { $0.path.hasSuffix("data.pkl") }) else {
            throw .malformed("zip holds no data.pkl")
        }
        let root = String(pklEntry.path.dropLast("data.pkl".count))
        let pickle = try read(pklEntry, in: archive)
        var reader = PickleReader(pickle)
        let value = try reader.run()
        guard case .dict(let items) = value else { throw .malformed("the pickle is not a state dict") }

        var dict = StateDict()
        var storages: [String: [Float]] = [:]
        for (k, v) in items {
            guard case .string(let name) = k, case .tensor(let ref) = v else {
                throw .malformed("state dict entry is not a name → tensor pair")
            }
            if storages[ref.storageKey] == nil {
                guard let entry = archive["\(root)data/\(ref.storageKey)"] else {
                    throw .missingTensor("\(name) (storage data/\(ref.storageKey) is not in the zip)")
                }
                let raw = try read(entry, in: archive)
                guard raw.count >= ref.storageCount * 4 else {
                    throw .truncated("storage data/\(ref.storageKey) has \(raw.count) bytes, \(ref.storageCount * 4) expected")
                }
                var floats = [Float](repeating: 0, count: ref.storageCount)
                floats.withUnsafeMutableBytes { dst in raw.withUnsafeBytes { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<dst.count])) } }
                storages[ref.storageKey] = floats
            }
            let storage = storages[ref.storageKey]!
            let count = ref.shape.reduce(1, *)
            var contiguous = [Int](repeating: 1, count: ref.shape.count)
            for i in stride(from: ref.shape.count - 2, through: 0, by: -1) { contiguous[i] = contiguous[i + 1] * ref.shape[i + 1] }
            guard ref.stride == contiguous || count <= 1 else {
                throw .malformed("tensor '\(name)' is not contiguous (stride \(ref.stride))")
            }
            guard ref.offset >= 0, ref.offset + count <= storage.count else {
                throw .truncated("tensor '\(name)' reaches past its storage")
            }
            dict[name] = Tensor(shape: ref.shape, storage: Array(storage[ref.offset..<(ref.offset + count)]))
        }
        return dict
    }

    static func read(_ entry: Entry, in archive: Archive) throws(CheckpointError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { out += $0 }
        } catch {
            throw .truncated("zip entry \(entry.path) cannot be read (\(error))")
        }
        return out
    }
}

/// Loads model parameters from either format, told apart by content (a zip starts with "PK").
public enum ModelFile {
    public static func load(_ path: String) throws(CheckpointError) -> StateDict {
        let url = URL(fileURLWithPath: path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable("no such file, or not readable")
        }
        let magic = (try? handle.read(upToCount: 4)) ?? nil
        try? handle.close()
        if let magic, magic.starts(with: [0x50, 0x4B]) { return try TorchCheckpoint.load(url) }
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: url)) } catch { throw .unreadable(error.localizedDescription) }
        return try Safetensors.decode(bytes).0
    }
}
