import Foundation
import Testing
import TestScratch
import ZIPFoundation
@testable import LofiVAE

/// Builds `.pth`-shaped zips around hand-written pickles.
@Suite struct PickleSafetyTests {
    let scratch = ScratchSpace()
    func zip(_ pickle: [UInt8], storages: [String: [Float]] = [:]) throws -> URL {
        let url = scratch.path("evil.pth")
        let archive = try Archive(url: url, accessMode: .create)
        func add(_ path: String, _ bytes: [UInt8]) throws {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .none) { pos, size in
                Data(bytes[Int(pos)..<(Int(pos) + size)])
            }
        }
        try add("archive/data.pkl", pickle)
        for (k, v) in storages { try add("archive/data/\(k)", v.withUnsafeBytes { Array($0) }) }
        return url
    }

    func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }
    func unicode(_ s: String) -> [UInt8] { let b = Array(s.utf8); return [0x58, UInt8(b.count), 0, 0, 0] + b }

    @Test func aForbiddenGlobalIsRefusedByName() throws {
        // The classic: os.system("echo pwned") via REDUCE.
        let pickle: [UInt8] = [0x80, 2] + global("os", "system") + unicode("echo pwned") + [0x85, 0x52, 0x2E]
        let url = try zip(pickle)
        #expect(throws: CheckpointError.forbiddenGlobal("os.system")) { try ModelFile.load(url.path) }
    }

    @Test func builtinsEvalIsRefusedToo() throws {
        let pickle: [UInt8] = [0x80, 2] + global("builtins", "eval") + unicode("1+1") + [0x85, 0x52, 0x2E]
        #expect(throws: CheckpointError.forbiddenGlobal("builtins.eval")) { try ModelFile.load(try zip(pickle).path) }
    }

    @Test func anUnknownOpcodeIsRefused() throws {
        // INST (0x69) builds objects by calling a class: never needed for a state dict.
        let pickle: [UInt8] = [0x80, 2, 0x28, 0x69] + Array("os\nsystem\n".utf8) + [0x2E]
        #expect(throws: CheckpointError.unsupportedOpcode(opcode: 0x69, offset: 3)) { try ModelFile.load(try zip(pickle).path) }
    }

    @Test func aProtocol4StackGlobalIsRefusedAtItsOpcode() throws {
        // STACK_GLOBAL takes module and name from the stack, so no name check sees them as a
        // GLOBAL line: the opcode itself is refused.
        let pickle: [UInt8] = [0x80, 4, 0x8C, 2] + Array("os".utf8) + [0x8C, 6] + Array("system".utf8) + [0x93] + unicode("id") + [0x85, 0x52, 0x2E]
        #expect(throws: CheckpointError.unsupportedOpcode(opcode: 0x93, offset: 14)) { try ModelFile.load(try zip(pickle).path) }
    }

    @Test func setStateOnAnythingButADictIsRefused() throws {
        // BUILD is __setstate__: on a list (or an object) it would run the object's code.
        let pickle: [UInt8] = [0x80, 2, 0x5D, 0x7D, 0x62, 0x2E]
        #expect(throws: CheckpointError.malformed("BUILD on something other than a dict")) { try ModelFile.load(try zip(pickle).path) }
    }

    @Test func aStorageKeyThatIsAPathIsNotFollowed() throws {
        // The storage key names an archive entry; "../" must not reach outside the archive's
        // data folder, into the file system or another entry.
        var p: [UInt8] = [0x80, 2] + global("collections", "OrderedDict") + [0x71, 0, 0x29, 0x52, 0x28]
        p += unicode("w") + global("torch._utils", "_rebuild_tensor_v2") + [0x28, 0x28]
        p += unicode("storage") + global("torch", "FloatStorage") + unicode("../../../../etc/passwd") + unicode("cpu") + [0x4B, 3, 0x74, 0x51]
        p += [0x4B, 0, 0x4B, 3, 0x85, 0x4B, 1, 0x85, 0x89, 0x68, 0, 0x29, 0x52, 0x74, 0x52, 0x75, 0x2E]
        // The zip even holds an entry of that name: only the key check keeps it from loading.
        let url = try zip(p, storages: ["../../../../etc/passwd": [1.5, -2, 4]])
        let outcome = Result { try ModelFile.load(url.path) }
        guard case .failure(let error) = outcome else { Issue.record("a storage named by a path loaded"); return }
        let message = String(describing: error)
        #expect(error is CheckpointError && message.contains("../../../../etc/passwd"), "the message names the key: \(message)")
    }

    @Test func aMinimalStateDictLoads() throws {
        // OrderedDict() then {'w': _rebuild_tensor_v2(('storage', FloatStorage, '0', 'cpu', 3), 0, (3,), (1,), False, OrderedDict())}
        var p: [UInt8] = [0x80, 2] + global("collections", "OrderedDict") + [0x71, 0, 0x29, 0x52, 0x28]
        p += unicode("w") + global("torch._utils", "_rebuild_tensor_v2") + [0x28, 0x28]
        p += unicode("storage") + global("torch", "FloatStorage") + unicode("0") + unicode("cpu") + [0x4B, 3, 0x74, 0x51]
        p += [0x4B, 0, 0x4B, 3, 0x85, 0x4B, 1, 0x85, 0x89, 0x68, 0, 0x29, 0x52, 0x74, 0x52, 0x75, 0x2E]
        let dict = try ModelFile.load(try zip(p, storages: ["0": [1.5, -2, 4]]).path)
        #expect(dict["w"] == Tensor(shape: [3], storage: [1.5, -2, 4]))
    }

    @Test func aMissingFileAndANonCheckpointSayWhat() throws {
        #expect(throws: CheckpointError.self) { try ModelFile.load("/nonexistent/model.pth") }
        let junk = scratch.path("junk.safetensors")
        try Data("not a model at all".utf8).write(to: junk)
        #expect(throws: CheckpointError.self) { try ModelFile.load(junk.path) }
    }
}
