/// A name or path that no request may be built from: it would leave its place in the URL.
///
/// `description` repeats the offending text, which comes from an event or a rule, never a secret.
public struct ArtifactoryRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable {
        /// A repository key Artifactory would not accept, or one of the paths it serves at the
        /// root of its URL (`api`, `ui`, …); see ``RepositoryKey``.
        case invalidRepository = "invalid_repository"
        /// A path, or a single-segment name, with a `.` or `..` segment, which servers and proxies
        /// normalize away so that the call could reach another path.
        case dotSegment = "dot_segment"
        /// One path segment whose text holds a `/`, which would add a segment of its own.
        case separatorInSegment = "separator_in_segment"
    }

    /// What is wrong.
    public var code: Code
    /// The text as given.
    public var text: String
    /// The `.` or `..` segment, for ``Code/dotSegment``.
    public var segment: String?
    /// Why the key is refused, for ``Code/invalidRepository`` (``RepositoryKey/problem(_:)``).
    public var reason: String?

    public init(_ code: Code, text: String, segment: String? = nil, reason: String? = nil) {
        self.code = code
        self.text = text
        self.segment = segment
        self.reason = reason
    }

    public var description: String {
        switch code {
        case .invalidRepository: "\"\(text)\" is not a repository key: \(reason ?? "Artifactory would refuse it")"
        case .dotSegment: "\"\(text)\" has a \"\(segment ?? "")\" segment"
        case .separatorInSegment: "\"\(text)\" holds a \"/\"; one path segment cannot"
        }
    }
}
