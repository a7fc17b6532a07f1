/// A name or path that no request may be built from: it would leave its place in the URL.
///
/// `description` repeats the offending text, which comes from an event or a rule, never a secret.
public struct ArtifactoryRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable {
        /// A repository key that is empty, `.`, `..` or holds a `/`.
        case invalidRepository = "invalid_repository"
        /// A path, or a single-segment name, with a `.` or `..` segment, which servers and proxies
        /// normalize away so that the call could reach another path.
        case dotSegment = "dot_segment"
    }

    /// What is wrong.
    public var code: Code
    /// The text as given.
    public var text: String
    /// The `.` or `..` segment, for ``Code/dotSegment``.
    public var segment: String?

    public init(_ code: Code, text: String, segment: String? = nil) {
        self.code = code
        self.text = text
        self.segment = segment
    }

    public var description: String {
        switch code {
        case .invalidRepository: "\"\(text)\" is no valid repository key"
        case .dotSegment: "\"\(text)\" has a \"\(segment ?? "")\" segment"
        }
    }
}
