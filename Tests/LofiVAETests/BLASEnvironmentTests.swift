import Testing
@testable import LofiVAE

/// When the program asks OpenBLAS for other kernels: a table worked out from the cores'
/// instruction sets (Prescott SSE3, Sandybridge AVX, Haswell and Zen AVX2 + FMA, SkylakeX
/// and its successors AVX-512F/BW/VL/DQ/CD).
@Suite struct BLASEnvironmentTests {
    static let avx512: Set<String> = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
    static let avx2: Set<String> = ["sse2", "avx", "avx2", "fma"]

    @Test func anOldCoreOnANewCPUIsCorrected() {
        #expect(BLASEnvironment.correction(for: "Prescott", flags: Self.avx512) == "SkylakeX")
        #expect(BLASEnvironment.correction(for: "Prescott", flags: Self.avx2) == "Haswell")
        #expect(BLASEnvironment.correction(for: "Sandybridge", flags: Self.avx2) == "Haswell")
        #expect(BLASEnvironment.correction(for: "Nehalem", flags: Self.avx512.subtracting(["avx512bw"])) == "Haswell")
        // AVX2 kernels on a CPU with AVX-512: one class too narrow.
        #expect(BLASEnvironment.correction(for: "Haswell", flags: Self.avx512) == "SkylakeX")
        #expect(BLASEnvironment.correction(for: "Zen", flags: Self.avx512) == "SkylakeX")
    }

    @Test func aFittingDetectionIsLeftAlone() {
        for core in ["SkylakeX", "Cooperlake", "SapphireRapids", "SKYLAKEX"] {
            #expect(BLASEnvironment.correction(for: core, flags: Self.avx512) == nil, "\(core)")
        }
        for core in ["Haswell", "Zen", "ZEN"] {
            #expect(BLASEnvironment.correction(for: core, flags: Self.avx2) == nil, "\(core)")
            // AVX-512F alone (Knights Landing) is not what SkylakeX's kernels need.
            #expect(BLASEnvironment.correction(for: core, flags: Self.avx2.union(["avx512f", "avx512cd"])) == nil, "\(core)")
        }
        // A CPU without AVX2: whatever OpenBLAS chose is all it can have.
        #expect(BLASEnvironment.correction(for: "Sandybridge", flags: ["sse2", "avx"]) == nil)
        #expect(BLASEnvironment.correction(for: "Prescott", flags: ["sse2", "avx2"]) == nil)  // AVX2 without FMA
    }
}
