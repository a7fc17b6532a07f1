import ArtifactoryEvents
import Foundation

/// The status page's admin credential (`ui.token_file`): a request proves it with
/// `Authorization: Bearer TOKEN`, or HTTP basic with any user name and the token as password (what a
/// browser's sign-in prompt sends). Compared in constant time over SHA-256 digests, so neither the
/// token nor its length leaks through timing.
struct AdminCredential: Sendable {
    private let digest: [UInt8]

    init(token: String) {
        digest = Digest.sha256(Array(token.utf8))
    }

    /// Who the request says it is (the basic user name, or `bearer`), when its credential is the
    /// token; `nil` otherwise.
    func user(authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0].lowercased() {
        case "bearer":
            return matches(parts[1].trimmingCharacters(in: .whitespaces)) ? "bearer" : nil
        case "basic":
            guard let data = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
                let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return nil }
            let user = String(text[..<colon])
            return matches(String(text[text.index(after: colon)...])) ? (user.isEmpty ? "basic" : user) : nil
        default:
            return nil
        }
    }

    private func matches(_ candidate: String) -> Bool {
        Digest.constantTimeEqual(Digest.sha256(Array(candidate.utf8)), digest)
    }
}
