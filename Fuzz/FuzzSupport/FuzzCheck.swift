/// Stops the run when a property of the code under test does not hold: libFuzzer treats the trap
/// like a crash and saves the input that caused it.
public func fuzzCheck(_ holds: Bool, _ message: @autoclosure () -> String) {
    guard !holds else { return }
    fatalError("property violated: \(message())")
}

/// The input as a `String` when it is valid UTF-8 (the readers of hand-written files take text).
public func fuzzText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> String? {
    String(validating: fuzzBytes(data, size), as: UTF8.self)
}

/// The input as bytes.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
}
