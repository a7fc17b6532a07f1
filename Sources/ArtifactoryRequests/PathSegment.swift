/// One path segment of a request, such as a build name or number: any text but `.` and `..`,
/// percent-encoded whole, so `team/app` stays one segment (`team%2Fapp`).
public struct PathSegment: Sendable, Hashable, CustomStringConvertible {
    /// The segment as given.
    public let text: String
    /// The segment percent-encoded.
    public let encoded: String

    /// Checks `text`; throws ``ArtifactoryRequestError/Code/dotSegment`` for `.` and `..`.
    public init(_ text: String) throws(ArtifactoryRequestError) {
        guard text != ".", text != ".." else { throw ArtifactoryRequestError(.dotSegment, text: text, segment: text) }
        self.text = text
        self.encoded = URLEncoding.percentEncode(text)
    }

    public var description: String { text }
}
