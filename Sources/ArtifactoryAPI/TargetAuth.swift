import Foundation

/// How the daemon authenticates to an outbound target. Its descriptions never show the secret.
public enum TargetAuth: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// No credential.
    case none
    /// `Authorization: Bearer TOKEN`.
    case bearer(token: String)
    /// HTTP Basic.
    case basic(user: String, password: String)
    /// One header of the target's choosing (`X-Api-Key: VALUE`).
    case header(name: String, value: String)

    /// The header the client adds, when there is one. Never log it.
    var header: (name: String, value: String)? {
        switch self {
        case .none: nil
        case .bearer(let token): ("Authorization", "Bearer " + token)
        case .basic(let user, let password):
            ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        case .header(let name, let value): (name, value)
        }
    }

    /// The header's name, shown by `rules test` with its value masked.
    public var headerName: String? { header?.name }

    /// The secret part, for redacting it from anything a target echoes back.
    var secret: String? {
        switch self {
        case .none: nil
        case .bearer(let token): token
        case .basic(_, let password): password
        case .header(_, let value): value
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .bearer: "bearer token (redacted)"
        case .basic(let user, _): "user \(user) with password (redacted)"
        case .header(let name, _): "header \(name) (redacted)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["kind": description]) }
}
