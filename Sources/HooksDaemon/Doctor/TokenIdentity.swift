import ArtifactoryAPI
import ArtifactoryEvents
import Foundation

/// Who the configured credential acts as, read without a call: a JFrog access token is a JSON Web
/// Token whose payload names its subject (`sub`, `…/users/NAME`) and scope (`scp`:
/// `applied-permissions/admin`, `applied-permissions/user`, `applied-permissions/groups:a,b`).
/// A reference token is opaque; a Basic credential names its user.
struct TokenIdentity: Sendable, Equatable {
    /// The user whose permissions apply; `nil` when the credential does not tell.
    var user: String?
    /// The token's scope grants admin.
    var admin: Bool
    /// The token's scope limits it to groups' permissions (its user's own targets do not apply).
    var groups: [String]

    init(user: String?, admin: Bool = false, groups: [String] = []) {
        self.user = user
        self.admin = admin
        self.groups = groups
    }

    init(_ credential: ArtifactoryCredential) {
        switch credential {
        case .basic(let user, _):
            self.init(user: user)
        case .accessToken(let token):
            self = Self.decode(jwt: token) ?? Self(user: nil)
        }
    }

    /// The identity a JWT's payload states, or `nil` when `token` is not one.
    static func decode(jwt token: String) -> TokenIdentity? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = base64URLDecoded(parts[1]),
            let claims = try? JSONParser.parse(payload), claims.objectValue != nil
        else { return nil }
        let subject = claims["sub"]?.stringValue
        let user = subject.flatMap { subject in
            subject.range(of: "/users/", options: .backwards).map { String(subject[$0.upperBound...]) }
        }
        let scopes = (claims["scp"]?.stringValue ?? "").split(separator: " ").map(String.init)
        let admin = scopes.contains("applied-permissions/admin")
        let groups = scopes.filter { $0.hasPrefix("applied-permissions/groups:") }
            .flatMap { $0.dropFirst("applied-permissions/groups:".count).split(separator: ",").map(String.init) }
        return TokenIdentity(user: user, admin: admin, groups: groups)
    }

    private static func base64URLDecoded(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
