import Foundation

/// How the client authenticates. Its descriptions never show the secret.
public enum ArtifactoryCredential: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// An access token, sent as `Authorization: Bearer TOKEN`.
    case accessToken(String)
    /// A user and password (or a token used as password), sent as HTTP Basic.
    case basic(user: String, password: String)

    /// The `Authorization` header value. Never log it.
    var authorizationHeader: String {
        switch self {
        case .accessToken(let token):
            return "Bearer " + token
        case .basic(let user, let password):
            return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
    }

    /// The secret part, for redacting it from anything Artifactory echoes back.
    var secret: String {
        switch self {
        case .accessToken(let token): token
        case .basic(_, let password): password
        }
    }

    public var description: String {
        switch self {
        case .accessToken: "access token (redacted)"
        case .basic(let user, _): "user \(user) with password (redacted)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["kind": description]) }
}
