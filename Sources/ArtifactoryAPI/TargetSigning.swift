import ArtifactoryEvents
import Foundation

/// How a target's deliveries are signed, over the exact body bytes sent. Its descriptions never
/// show the secret.
public enum TargetSigning: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Standard Webhooks 1.0 (symmetric): `webhook-id`, `webhook-timestamp` (Unix seconds) and
    /// `webhook-signature: v1,BASE64`, the HMAC-SHA256 of `ID.TIMESTAMP.BODY` keyed with the
    /// base64-decoded part of the `whsec_…` secret.
    case standardWebhooks(key: [UInt8])
    /// `HEADER: sha256=HEX`, the lowercase hex HMAC-SHA256 of the body keyed with the secret's
    /// UTF-8 bytes (as GitHub and Artifactory sign).
    case hmacSHA256(header: String, secret: [UInt8])

    /// The key of a Standard Webhooks secret (`whsec_` followed by base64), or `nil` when `text`
    /// is not one.
    public static func standardWebhooksKey(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("whsec_"), let key = Data(base64Encoded: String(text.dropFirst(6))), !key.isEmpty
        else { return nil }
        return Array(key)
    }

    /// The names of the headers it adds, in the order added.
    public var headerNames: [String] {
        switch self {
        case .standardWebhooks: ["webhook-id", "webhook-timestamp", "webhook-signature"]
        case .hmacSHA256(let header, _): [header]
        }
    }

    /// The headers for one attempt: `id` is the job's message id (the same for every attempt),
    /// `timestamp` the attempt's time in Unix seconds.
    public func headers(id: String, timestamp: Int64, body: [UInt8]) -> [(name: String, value: String)] {
        switch self {
        case .standardWebhooks(let key):
            let signed = Array("\(id).\(timestamp).".utf8) + body
            let mac = Digest.hmac(.sha256, key: key, message: signed)
            return [
                ("webhook-id", id), ("webhook-timestamp", "\(timestamp)"),
                ("webhook-signature", "v1," + Data(mac).base64EncodedString()),
            ]
        case .hmacSHA256(let header, let secret):
            return [(header, "sha256=" + Digest.hex(Digest.hmac(.sha256, key: secret, message: body)))]
        }
    }

    public var description: String {
        switch self {
        case .standardWebhooks: "standard-webhooks (secret redacted)"
        case .hmacSHA256(let header, _): "hmac-sha256 in \(header) (secret redacted)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["kind": description]) }
}
