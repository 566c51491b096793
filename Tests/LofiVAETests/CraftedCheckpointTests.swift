import Foundation
import Testing
import TestScratch
import ZIPFoundation
@testable import LofiVAE

/// Checkpoints crafted to break the readers (issue: review defects 1, 2 and 6): each must be
/// one `CheckpointError` naming the problem, never a trap, a stack overflow or gigabytes.
@Suite struct CraftedCheckpointTests {
    let scratch = ScratchSpace()
    let pickles = PickleSafetyTests()

    func unicode(_ s: String) -> [UInt8] { pickles.unicode(s) }
    func global(_ m: String, _ n: String) -> [UInt8] { pickles.global(m, n) }
    func int4(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    /// `{'w': _rebuild_tensor_v2(('storage', FloatStorage, '0', 'cpu', COUNT), OFFSET, SHAPE, STRIDE, False, OrderedDict())}`
    func stateDict(count: [UInt8], offset: [UInt8] = [0x4B, 0], shape: [UInt8], stride: [UInt8]) -> [UInt8] {
        var p: [UInt8] = [0x80, 2] + global("collections", "OrderedDict") + [0x29, 0x52, 0x28]
        p += unicode("w") + global("torch._utils", "_rebuild_tensor_v2") + [0x28, 0x28]
        p += unicode("storage") + global("torch", "FloatStorage") + unicode("0") + unicode("cpu") + count + [0x74, 0x51]
        p += offset + shape + stride + [0x89] + global("collections", "OrderedDict") + [0x29, 0x52, 0x74, 0x52, 0x75, 0x2E]
        return p
    }

    func load(_ pickle: [UInt8], storages: [String: [Float]] = ["0": [1, 2, 3]]) throws -> StateDict {
        try ModelFile.load(try pickles.zip(pickle, storages: storages).path)
    }

    func message(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let e as CheckpointError { return e.description } catch { return "other: \(error)" }
    }

    @Test func theHandWrittenStateDictLoads() throws {
        // The builder below is right: the same bytes with sane numbers load.
        let d = try load(stateDict(count: [0x4B, 3], shape: [0x4B, 3, 0x85], stride: [0x4B, 1, 0x85]))
        #expect(d["w"] == Tensor(shape: [3], storage: [1, 2, 3]))
    }

    @Test func aNegativeStorageCountIsRefused() throws {
        let m = message { try load(stateDict(count: [0x4A] + int4(-5), shape: [0x4B, 3, 0x85], stride: [0x4B, 1, 0x85])) }
        #expect(m == "malformed: storage '0' declares -5 elements")
    }

    @Test func aNegativeDimensionIsRefused() throws {
        let m = message { try load(stateDict(count: [0x4B, 3], shape: [0x4A] + int4(-3) + [0x85], stride: [0x4B, 1, 0x85])) }
        #expect(m == "malformed: tensor 'w' has a negative dimension (shape [-3])")
    }

    @Test func aShapeWhoseProductOverflowsIsRefused() throws {
        // (2³¹−1)³ overflows 64 bits; each factor alone is a valid BININT.
        let big: [UInt8] = [0x4A] + int4(Int32.max)
        let m = message { try load(stateDict(count: [0x4B, 3], shape: big + big + big + [0x87], stride: [0x4B, 1, 0x4B, 1, 0x4B, 1, 0x87])) }
        #expect(m?.hasPrefix("malformed: tensor 'w' of shape [2147483647, 2147483647, 2147483647] is larger than any model") == true)
    }

    @Test func aMillionNestedTuplesStopAtTheDepthBound() throws {
        // A 1 MB pickle of TUPLE1s: freeing such a value recursed a million frames deep.
        let p: [UInt8] = [0x80, 2, 0x4E] + [UInt8](repeating: 0x85, count: 1_000_000) + [0x2E]
        let m = message { try load(p) }
        #expect(m == "malformed: pickle nests deeper than \(PickleReader.maxDepth) at byte \(3 + PickleReader.maxDepth + 1) (a state dict nests 4 deep)")
    }

    @Test func memoisingEveryAppendHitsTheMemoBudget() throws {
        // EMPTY_LIST, then 20,000 × (NONE, APPEND, LONG_BINPUT k): every version of the list
        // was kept alive, 6 GB for a 60 KB file.
        var p: [UInt8] = [0x80, 2, 0x5D]
        for k in 0..<20_000 { p += [0x4E, 0x61, 0x72] + int4(Int32(k)) }
        p += [0x2E]
        let m = message { try load(p) }
        #expect(m?.hasPrefix("malformed: pickle memo holds over \(PickleReader.maxMemoNodes) values") == true, "\(m ?? "accepted")")
    }

    @Test func aWideContainerIsRefused() throws {
        var p: [UInt8] = [0x80, 2, 0x28]
        p += [UInt8](repeating: 0x4E, count: PickleReader.maxContainerCount + 1)
        p += [0x74, 0x2E]
        let m = message { try load(p) }
        #expect(m?.hasPrefix("malformed: pickle container of \(PickleReader.maxContainerCount + 1) items") == true)
    }

    @Test func manyTensorsOnOneStorageAreBoundedInAll() throws {
        // 300 names on one 256 K-float storage: 76 M floats of copies, over the total bound.
        let n = 256 * 1024
        var p: [UInt8] = [0x80, 2] + global("collections", "OrderedDict") + [0x29, 0x52, 0x28]
        for i in 0..<300 {
            p += unicode("w\(i)") + global("torch._utils", "_rebuild_tensor_v2") + [0x28, 0x28]
            p += unicode("storage") + global("torch", "FloatStorage") + unicode("0") + unicode("cpu") + [0x4A] + int4(Int32(n)) + [0x74, 0x51]
            p += [0x4B, 0, 0x4A] + int4(Int32(n)) + [0x85, 0x4B, 1, 0x85, 0x89] + global("collections", "OrderedDict") + [0x29, 0x52, 0x74, 0x52]
        }
        p += [0x75, 0x2E]
        let m = message { try load(p, storages: ["0": [Float](repeating: 1, count: n)]) }
        #expect(m?.hasPrefix("malformed: tensors hold over \(TorchCheckpoint.maxTotalElements) values in all") == true)
    }

    // MARK: zip entries

    /// A stored (uncompressed) zip of one `archive/data.pkl` whose headers declare
    /// `declared` bytes through a ZIP64 extra field, whatever the data holds.
    func zip64(data: [UInt8], declared: UInt64) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let name = Array("archive/data.pkl".utf8)
        let extra = u16(1) + u16(16) + u64(declared) + u64(UInt64(data.count))
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc ^= UInt32(b); for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 } }
        crc ^= 0xFFFF_FFFF
        var z: [UInt8] = u32(0x0403_4B50) + u16(45) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(crc)
        z += u32(0xFFFF_FFFF) + u32(0xFFFF_FFFF) + u16(name.count) + u16(extra.count) + name + extra + data
        let central = z.count
        z += u32(0x0201_4B50) + u16(45) + u16(45) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(crc)
        z += u32(0xFFFF_FFFF) + u32(0xFFFF_FFFF) + u16(name.count) + u16(extra.count) + u16(0) + u16(0) + u16(0) + u32(0) + u32(0)
        z += name + extra
        let size = z.count - central
        z += u32(0x0605_4B50) + u16(0) + u16(0) + u16(1) + u16(1) + u32(UInt32(size)) + u32(UInt32(central)) + u16(0)
        return z
    }

    func write(_ bytes: [UInt8]) throws -> String {
        let url = scratch.path("zip64.pth")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func aZip64SizeNearTwoToTheSixtyThirdIsRefusedBeforeAllocating() throws {
        for declared in [UInt64(Int64.max), UInt64.max - 7] {
            let m = message { try ModelFile.load(try write(zip64(data: [0x80, 2, 0x4E, 0x2E], declared: declared))) }
            #expect(m == "malformed: zip entry archive/data.pkl declares \(declared) bytes (at most \(TorchCheckpoint.maxPickleBytes) are read)")
        }
    }

    @Test func anEntryIsNotReadPastItsDeclaredSize() throws {
        // Declares 4 bytes, holds 4,096: only the 4 are read (a pickle cut before STOP).
        let data: [UInt8] = [0x80, 2, 0x4E, 0x4E, 0x2E] + [UInt8](repeating: 0, count: 4091)
        #expect(message { try ModelFile.load(try write(zip64(data: data, declared: 4))) } == "truncated: pickle ends at byte 4 before STOP")
        // The honest declaration of the same bytes reads to STOP (and NONE is no state dict).
        #expect(message { try ModelFile.load(try write(zip64(data: data, declared: UInt64(data.count)))) } == "malformed: the pickle is not a state dict")
    }

    @Test func aZipBombIsRefusedByItsDeclaredSize() throws {
        // 32 MiB of zeros deflate to about 32 KB; the pickle bound is 16 MiB.
        let url = scratch.path("bomb.pth")
        let archive = try Archive(url: url, accessMode: .create)
        let size = 32 << 20
        try archive.addEntry(with: "archive/data.pkl", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { _, n in
            Data(count: n)
        }
        let fileSize = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        #expect(fileSize < 200_000)
        #expect(message { try ModelFile.load(url.path) } == "malformed: zip entry archive/data.pkl declares \(size) bytes (at most \(TorchCheckpoint.maxPickleBytes) are read)")
    }

    // MARK: safetensors

    /// A safetensors file from a header written by hand and `data` bytes.
    func safetensors(_ header: String, data: Int) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json + [UInt8](repeating: 0, count: data)
    }

    func decodeMessage(_ bytes: [UInt8]) -> String? { message { try Safetensors.decode(bytes) } }

    @Test func safetensorsNumbersAreCheckedBeforeArithmetic() {
        let cases: [(String, Int, String)] = [
            (#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}"#, 16,
             "malformed: entry 'w': dimension 4294967296 is not an integer from 0 to 4"),
            (#"{"w":{"dtype":"F32","shape":[1e300],"data_offsets":[0,16]}}"#, 16,
             "malformed: entry 'w': dimension 1e+300 is not an integer from 0 to 4"),
            (#"{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,10]}}"#, 16,
             "malformed: entry 'w': dimension 2.5 is not an integer from 0 to 4"),
            (#"{"w":{"dtype":"F32","shape":["4"],"data_offsets":[0,16]}}"#, 16,
             "malformed: entry 'w': dimension 4 is not an integer from 0 to 4"),
            (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[-9223372036854775808,16]}}"#, 16,
             "truncated: entry 'w': data_offsets [-9223372036854775808, 16] are not integers within the 16 data bytes"),
            (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,9223372036854775807]}}"#, 16,
             "truncated: entry 'w': data_offsets [9223372036854775807, 9223372036854775807] are not integers within the 16 data bytes"),
            (#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[8,4]}}"#, 16,
             "malformed: entry 'w': offsets [8, 4] do not hold 3 float32 values"),
        ]
        for (header, data, expected) in cases {
            let got = decodeMessage(safetensors(header, data: data))
            // The two huge offsets print as JSONSerialization parsed them; compare the start.
            if expected.contains("9223372036854775807") {
                #expect(got?.hasPrefix("truncated: entry 'w': data_offsets") == true, "\(header): \(got ?? "accepted")")
            } else {
                #expect(got == expected, "\(header)")
            }
        }
    }

    @Test func safetensorsSpansMustTileTheDataInOrder() {
        // 1,500 names all on the same 1 MiB (1.57 GB of copies before the fix).
        let entries = (0..<1500).map { #""w\#($0)":{"dtype":"F32","shape":[262144],"data_offsets":[0,1048576]}"# }
        let aliased = decodeMessage(safetensors("{" + entries.joined(separator: ",") + "}", data: 1 << 20))
        #expect(aliased?.hasPrefix("malformed: tensor 'w") == true && aliased?.contains("overlaps the tensor before it (bytes 0–1048576)") == true, "\(aliased ?? "accepted")")
        #expect(decodeMessage(safetensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8))
                == "malformed: a gap of 4 bytes before tensor 'a'")
        #expect(decodeMessage(safetensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 8))
                == "malformed: 4 bytes after the last tensor")
    }

    @Test func safetensorsReadsOnlyTheTensorsAskedFor() throws {
        let dict = StateDict([("a", Tensor(shape: [2], storage: [1, 2])), ("b", Tensor(shape: [1], storage: [3]))])
        let bytes = Safetensors.encode(dict)
        let (some, _) = try Safetensors.decode(bytes, only: ["b"])
        #expect(some.names == ["b"] && some["b"] == dict["b"])
        // The bundled model's decoder is read without its encoder.
        let model = try ModelFile.load(LofiModel.bundledPathForTests, only: Lofi2LofiDecoder.parameterNames)
        #expect(Set(model.names) == Lofi2LofiDecoder.parameterNames)
        #expect(Lofi2LofiDecoder.parameterNames == Set(Reference.decoder.stateDict.names))
    }

    @Test func aModelWithANonFiniteWeightIsRefusedAtLoad() throws {
        var dict = Reference.decoder.stateDict
        var t = dict["tempo_linear.2.bias"]!
        t.storage[0] = .nan
        dict["tempo_linear.2.bias"] = t
        let url = scratch.path("nan.safetensors")
        try Data(Safetensors.encode(dict)).write(to: url)
        #expect(message { try LofiModel(path: url.path) } == "malformed: tensor 'tempo_linear.2.bias' holds nan at element 0; a model's weights must be finite")
    }
}

extension LofiModel {
    /// The bundled model as the test runner finds it (beside the test bundle).
    static var bundledPathForTests: String {
        if let p = bundledPath { return p }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("Sources/LofiVAE/Resources/lofi2lofi.safetensors").path
    }
}
