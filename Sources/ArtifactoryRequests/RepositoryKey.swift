/// A repository key that a request may name: one that Artifactory accepts and that is not one of
/// the paths it serves at the root of its URL.
///
/// Every request about an item names its repository through this type (``ItemLocation``), and
/// every key becomes the first segment of a request path (`DELETE {repo}/{path}`,
/// `api/storage/{repo}/…`, `to=/{repo}/…`), so these rules are checked here, once, for every
/// endpoint. Artifactory also serves its own paths at that root: a key of `api` would turn
/// `DELETE {repo}/{path}` into a call to the REST API (`api/repositories/…`,
/// `api/security/users/…`). A key that breaks the rules below names no repository Artifactory can
/// hold, so no request is built for it.
///
/// Sources:
/// - JFrog, "Repository Naming Rules and Limitations"
///   (https://jfrog.com/help/r/jfrog-artifactory-documentation/repository-naming-rules-and-limitations):
///   not empty; at most 64 characters; none of `/ \ : | ? * " < >`; not `.`, `..` or `&`.
/// - The paths Artifactory serves at the root of `/artifactory/` beside repositories: `api/`
///   (the REST API, "JFrog REST APIs"), `ui/` and `webapp/` (the web UI), `list/` and `simple/`
///   (https://jfrog.com/help/r/jfrog-artifactory-documentation/simple-browsing), `repo` (the
///   global virtual repository, which no event names) and `favicon.ico`. JFrog's documentation
///   has no one list of these; this one is kept short on purpose and compared without regard to
///   case, as Artifactory compares keys ("Case insensitive repository key already exists",
///   https://jfrog.com/help/r/artifactory-creating-repositories-with-certain-names-result-in-error-when-validating-repository-name-case-insensitive-repository-key-already-exists).
///
/// The names JFrog also reserves for its own repositories (`artifactory-build-info`,
/// `jfrog-logs`, `nginx`, …) and the `-cache` suffix are real repositories that events can name,
/// so they pass. Control characters are refused too: a key is shown in logs and command output.
public struct RepositoryKey: Sendable, Hashable, CustomStringConvertible {
    /// The longest key Artifactory accepts (local, federated and virtual repositories).
    public static let maximumLength = 64

    /// First path segments Artifactory serves itself, compared without regard to case.
    public static let reservedNames: Set<String> = ["api", "ui", "webapp", "list", "simple", "repo", "favicon.ico"]

    /// How many characters the longest of ``reservedNames`` has.
    private static let longestReservedName = reservedNames.map(\.unicodeScalars.count).max() ?? 0

    /// Keys JFrog forbids outright.
    public static let forbiddenNames: Set<String> = [".", "..", "&"]

    /// The characters JFrog forbids in a key.
    public static let forbiddenCharacters: Set<Unicode.Scalar> = ["/", "\\", ":", "|", "?", "*", "\"", "<", ">"]

    /// The key as given: `libs-release-local`.
    public let text: String

    /// Checks `text`; throws ``ArtifactoryRequestError/Code/invalidRepository`` with the
    /// ``problem(_:)`` as its reason when it is no key.
    public init(_ text: String) throws(ArtifactoryRequestError) {
        if let problem = Self.problem(text) {
            throw ArtifactoryRequestError(.invalidRepository, text: text, reason: problem)
        }
        self.text = text
    }

    /// A key already checked, such as the first segment of a checked ``ItemLocation``.
    init(checked text: String) {
        self.text = text
    }

    public var description: String { text }

    /// Why `key` is not a repository key, or `nil` when it is one: the rules above, in that
    /// order, as a person reads them ("it is empty", "it contains \":\", …").
    public static func problem(_ key: String) -> String? {
        if key.isEmpty { return "it is empty" }
        let scan = URLText.withBytes(key) { Scan($0) }
        if scan.length > maximumLength {
            return "it is \(scan.length) characters long; Artifactory's limit is \(maximumLength)"
        }
        if let forbidden = scan.forbidden {
            return "it contains \"\(Unicode.Scalar(forbidden))\", which Artifactory forbids in repository keys"
        }
        if scan.hasControl { return "it contains a control character" }
        if scan.length <= 2, forbiddenNames.contains(key) {
            return "Artifactory forbids \"\(key)\" as a repository key"
        }
        // Lowercasing never shortens a key, so a key longer than every reserved name is none.
        if scan.length <= longestReservedName, reservedNames.contains(key.lowercased()) {
            return "Artifactory serves \"\(key)\" at the root of its URL itself, so a request under it would not"
                + " reach a repository"
        }
        return nil
    }

    /// One pass over a key's UTF-8 bytes: its length in characters, its first forbidden character
    /// (all of ``forbiddenCharacters`` are ASCII), and whether it has a control character (C0,
    /// DEL, or C1: U+0080–U+009F, encoded as 0xC2 then 0x80–0x9F).
    private struct Scan {
        var length = 0
        var forbidden: UInt8?
        var hasControl = false

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var previous: UInt8 = 0
            for byte in bytes {
                // Continuation bytes (0b10xxxxxx) start no character.
                if byte & 0xC0 != 0x80 { length += 1 }
                if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                    hasControl = true
                }
                if forbidden == nil, Self.isForbidden(byte) { forbidden = byte }
                previous = byte
            }
        }

        /// Whether `byte` is one of ``RepositoryKey/forbiddenCharacters``.
        static func isForbidden(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: "?"),
                UInt8(ascii: "*"), UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"):
                true
            default: false
            }
        }
    }
}
