/// A repository key that a request may name: not empty, not `.` or `..`, without a `/`.
///
/// Every request about an item names its repository through this type (``ItemLocation``), so a
/// rule about which keys may be named is checked here, once, for every endpoint.
public struct RepositoryKey: Sendable, Hashable, CustomStringConvertible {
    /// The key as given: `libs-release-local`.
    public let text: String

    /// Checks `text`; throws ``ArtifactoryRequestError/Code/invalidRepository`` when it is no key.
    public init(_ text: String) throws(ArtifactoryRequestError) {
        guard !text.isEmpty, text != ".", text != "..", !text.utf8.contains(UInt8(ascii: "/")) else {
            throw ArtifactoryRequestError(.invalidRepository, text: text)
        }
        self.text = text
    }

    public var description: String { text }
}
