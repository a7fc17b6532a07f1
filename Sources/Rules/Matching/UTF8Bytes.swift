/// Access to a string's UTF-8 bytes for byte-wise matching.
enum UTF8Bytes {
    /// Calls `body` with the UTF-8 bytes of `text`, without copying native strings.
    static func with<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }
}
