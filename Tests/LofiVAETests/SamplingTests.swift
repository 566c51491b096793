import Crypto
import Foundation
import Testing
@testable import LofiVAE

@Suite struct SamplingTests {
    @Test func samplerIsReproducibleAndIndexed() {
        let a = LatentSampler(seed: 7).latents(count: 5)
        let b = LatentSampler(seed: 7).latents(count: 5)
        #expect(a == b)
        #expect(LatentSampler(seed: 7).latent(index: 3) == a[3])
        #expect(LatentSampler(seed: 8).latent(index: 0) != a[0])
        #expect(a.allSatisfy { $0.count == 100 })
    }

    @Test func samplerHasUnitNormalMoments() {
        let values = LatentSampler(seed: 1).latents(count: 400).flatMap { $0 }.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        // 40,000 draws: standard error of the mean 0.005, of the variance about 0.007.
        #expect(abs(mean) < 0.025 && abs(variance - 1) < 0.035)
        let hot = LatentSampler(seed: 1, temperature: 2).latent(index: 0)
        #expect(zip(hot, LatentSampler(seed: 1).latent(index: 0)).allSatisfy { abs($0 - 2 * $1) <= 1e-5 * max(1, abs($0)) })
    }

    @Test func md5KnownDigestsAndDecimal() {
        // RFC 1321 test suite.
        func hex(_ s: String) -> String { Insecure.MD5.hash(data: Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hex("abc") == "900150983cd24fb0d6963f7d28e17f72")
        #expect(hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0")
        #expect(SongTitle.decimal(bigEndian: [0x01, 0x00]) == "256")
        #expect(SongTitle.decimal(bigEndian: Array(repeating: 0xFF, count: 16)) == "340282366920938463463374607431768211455")
        #expect(SongTitle.decimal(bigEndian: [0, 0]) == "0")
    }
}
