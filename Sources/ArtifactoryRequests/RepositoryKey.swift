/// A repository key that a request may name: not empty, not `.` or `..`, without a `/`.
///
/// Every request about an item names its repository through this type (``ItemLocation``), so a
/// rule about which keys may be named is checked here, once, for every endpoint.
public struct RepositoryKey: Sendable, Hashable, CustomStringConvertible {
    /// The key as given: `libs-release-local`.
    public let text: String

    /// Checks `text`; throws ``ArtifactoryRequestError/Code/invalidRepository`` when it is no key.
    public init(_ text: String) throws(ArtifactoryRequestError) {
        let isKey = URLText.withBytes(text) { bytes in
            !bytes.isEmpty && !bytes.contains(UInt8(ascii: "/")) && !ItemPath.isDotSegment(bytes[...])
        }
        guard isKey else { throw ArtifactoryRequestError(.invalidRepository, text: text) }
        self.text = text
    }

    /// A key already checked, such as the first segment of a checked ``ItemPath``.
    init(checked text: String) {
        self.text = text
    }

    public var description: String { text }
}
