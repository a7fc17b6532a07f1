/// A request path and query built as UTF-8 bytes, appended raw, percent-encoded, or escaped for
/// Artifactory's property syntax (see ``URLEncoding``), and made into a `String` once.
struct URLText {
    private(set) var bytes: [UInt8] = []

    init(_ prefix: String = "") {
        bytes.reserveCapacity(160)
        append(prefix)
    }

    /// The text as built.
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// `text` as it is (already encoded, or URL syntax).
    mutating func append(_ text: String) {
        Self.withBytes(text) { bytes.append(contentsOf: $0) }
    }

    /// One byte of URL syntax (`/`, `;`, `=`, `,`).
    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    /// `text` percent-encoded: everything but `A-Z a-z 0-9 - . _ ~`.
    mutating func appendEncoded(_ text: String) {
        Self.withBytes(text) { URLEncoding.appendPercentEncoded($0, to: &bytes) }
    }

    /// `text` with a backslash before each of `,` `;` `=` `|` `\`, then percent-encoded.
    mutating func appendProperty(_ text: String) {
        Self.withBytes(text) { URLEncoding.appendProperty($0, to: &bytes) }
    }

    /// Calls `body` with the UTF-8 bytes of `text`, without copying native strings.
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }
}
