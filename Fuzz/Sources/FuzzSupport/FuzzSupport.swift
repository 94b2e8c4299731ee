import CFuzzerDriver

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fuzz input as bytes.
public typealias FuzzInput = UnsafeBufferPointer<UInt8>

/// Hands the process's arguments to libFuzzer and runs `body` on every input; never returns.
/// `body` must not capture anything (libFuzzer calls it as a C function).
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv, body)
    exit(status)
}

/// The bytes of a libFuzzer call (an empty input may come with a null pointer).
public func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> FuzzInput {
    UnsafeBufferPointer(start: size == 0 ? nil : data, count: size)
}
