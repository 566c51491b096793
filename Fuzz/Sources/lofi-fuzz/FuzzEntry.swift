import Foundation

/// The target named by `LOFI_FUZZ_TARGET`.
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["LOFI_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget.all.first(where: { $0.name == name }) else {
        let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("lofi-fuzz: set LOFI_FUZZ_TARGET to one of \(names)\n".utf8))
        exit(64)
    }
    return t
}()

/// libFuzzer's per-input entry.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    target.run(bytes)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The program's main (SwiftPM links an executable's main under this name): `--list`
/// names the targets, anything else goes to libFuzzer's driver.
@_cdecl("lofi_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    if CommandLine.arguments.dropFirst().first == "--list" {
        for t in FuzzTarget.all { print("\(t.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(t.reads)") }
        return 0
    }
    _ = target
    var count = argc
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &vector) { fuzzOne($0, $1) }
}
