import ArtifactoryEvents
import Foundation

/// The per-session token every form of the status page carries (cross-site request forgery): a
/// session is a random id in a `SameSite=Strict`, `HttpOnly` cookie, and its token is the
/// HMAC-SHA256 of that id under a key drawn when the daemon starts. A page from another site can
/// neither read the cookie nor compute the token; a restart ends every session.
struct SessionToken: Sendable {
    /// The cookie's name.
    static let cookie = "ahk_session"

    private let key: [UInt8]

    init() {
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A new random session id (hex).
    func newSession() -> String {
        var generator = SystemRandomNumberGenerator()
        return Digest.hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The token of `session`.
    func token(for session: String) -> String {
        Digest.hex(Digest.hmac(.sha256, key: key, message: Array(session.utf8)))
    }

    /// Whether `token` is the one of `session`.
    func check(_ token: String?, session: String?) -> Bool {
        guard let token, let session, !session.isEmpty,
            let given = Digest.bytes(fromHex: token), let expected = Digest.bytes(fromHex: self.token(for: session))
        else { return false }
        return Digest.constantTimeEqual(given, expected)
    }

    /// The session id in a `Cookie` header, if any.
    static func session(inCookies header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == cookie, parts[1].allSatisfy(\.isHexDigit), parts[1].count == 32 {
                return parts[1]
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that starts `session`, scoped to the page's paths.
    static func setCookie(_ session: String) -> String {
        "\(cookie)=\(session); Path=/ui; HttpOnly; SameSite=Strict"
    }
}
