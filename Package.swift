// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "lofi-render",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lofi-render", targets: ["lofi-render"]),
        .library(name: "Theory", targets: ["Theory"]),
        .library(name: "LofiVAE", targets: ["LofiVAE"]),
        .library(name: "Lyrics", targets: ["Lyrics"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Studio", targets: ["Studio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // C libraries enter only through these shims (module map + pkg-config name).
        .systemLibrary(name: "CFluidSynth", pkgConfig: "fluidsynth",
                       providers: [.apt(["libfluidsynth-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CEbur128", pkgConfig: "libebur128",
                       providers: [.apt(["libebur128-dev"])]),
        // libhyphen ships no pkg-config file; the module map links it by name.
        .systemLibrary(name: "CHyphen", providers: [.apt(["libhyphen-dev", "hyphen-en-us"])]),

        // The master chain's and the part bands' per-sample kernels (C: both channels' filter
        // states stay in vector registers); Render is its only user.
        .target(name: "CLofiDSP"),
        // The LSTM cell's pointwise kernels at the CPU's vector width (baseline, AVX2,
        // AVX-512F, chosen at run time, same bits); LofiVAE is its only user.
        .target(name: "CLofiMath"),

        .target(name: "Theory"),
        .target(name: "LofiVAE", dependencies: [
            "Theory", "COpenBLAS", "CLofiMath",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], resources: [.copy("Resources/lofi2lofi.safetensors")]),
        .target(name: "Lyrics", dependencies: ["CHyphen"]),
        .target(name: "Render", dependencies: ["Theory", "CFluidSynth", "CSndFile", "CEbur128", "CLofiDSP"]),
        .target(name: "Studio", dependencies: [
            "Theory", "LofiVAE", "Lyrics", "Render",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // HTTP over Studio: the original Lofi server's routes, the JSON API, the radio, the page.
        .target(name: "Server", dependencies: [
            "Studio",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ], resources: [.copy("Web")]),
        // The command line: argument parsing, progress bars, messages, exit codes over Studio.
        .executableTarget(name: "lofi-render", dependencies: [
            "Studio", "Server",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Scratch folders that go away with the test that made them.
        .target(name: "TestScratch", path: "Tests/TestScratch"),
        .testTarget(name: "TheoryTests", dependencies: ["Theory"]),
        .testTarget(name: "LofiVAETests", dependencies: ["LofiVAE", "Theory", "CLofiMath", "TestScratch"]),
        .testTarget(name: "LyricsTests", dependencies: ["Lyrics"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Theory", "TestScratch"]),
        .testTarget(name: "StudioTests", dependencies: ["Studio", "TestScratch"]),
        // The original server's body format restated in Python, and the browser driver.
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Studio", "TestScratch",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], exclude: ["browser_check.py", "original_body.py"]),
        .testTarget(name: "lofi-renderTests", dependencies: ["lofi-render", "Studio", "TestScratch"]),
    ]
)

// `scripts/fuzz` only: the libFuzzer harness over the readers (built with -sanitize=fuzzer,
// which supplies its main), absent from ordinary builds.
if Context.environment["LOFI_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "lofi-fuzz", dependencies: ["Theory", "LofiVAE", "Lyrics", "Studio", "Server"],
        path: "Fuzz/Sources/lofi-fuzz", swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    package.products.append(.executable(name: "lofi-fuzz", targets: ["lofi-fuzz"]))
}
