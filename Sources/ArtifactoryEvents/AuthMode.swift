/// How an endpoint checks that a delivery comes from Artifactory (the `X-JFrog-Event-Auth` header).
public enum AuthMode: String, Sendable, Hashable, CaseIterable {
    /// The header holds the secret itself.
    case token
    /// The header holds hex HMAC-SHA256 of the raw body ("use secret for payload signing");
    /// an optional `sha256=` prefix and either hex case are accepted.
    case hmacSHA256 = "hmac-sha256"
    /// The header holds `sha1=` and hex HMAC-SHA1 of the raw body (older senders).
    case hmacSHA1 = "hmac-sha1"
    /// No check at all. Only when the config says so in words.
    case none
}
