/// Artifactory's rules for a repository key, for every key that becomes the first segment of a
/// request path (`DELETE {repo}/{path}`, `api/storage/{repo}/…`, `to=/{repo}/…`).
///
/// An item request names its repository at the root of the Artifactory URL, where Artifactory
/// also serves its own paths: a key of `api` would turn `DELETE {repo}/{path}` into a call to
/// the REST API (`api/repositories/…`, `api/security/users/…`). A key that breaks the rules below
/// names no repository Artifactory can hold, so no request is made for it.
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
/// so they pass.
package enum RepositoryKey {
    /// The longest key Artifactory accepts (local, federated and virtual repositories).
    package static let maximumLength = 64

    /// First path segments Artifactory serves itself, compared without regard to case.
    package static let reservedNames: Set<String> = ["api", "ui", "webapp", "list", "simple", "repo", "favicon.ico"]

    /// Keys JFrog forbids outright.
    package static let forbiddenNames: Set<String> = [".", "..", "&"]

    /// The characters JFrog forbids in a key.
    package static let forbiddenCharacters: Set<Unicode.Scalar> = ["/", "\\", ":", "|", "?", "*", "\"", "<", ">"]

    /// Why `key` is not a repository key, or `nil` when it is one.
    package static func problem(_ key: String) -> String? {
        if key.isEmpty { return "it is empty" }
        let length = key.unicodeScalars.count
        if length > maximumLength {
            return "it is \(length) characters long; Artifactory's limit is \(maximumLength)"
        }
        if let bad = key.unicodeScalars.first(where: { forbiddenCharacters.contains($0) }) {
            return "it contains \"\(bad)\", which Artifactory forbids in repository keys"
        }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "it contains a control character"
        }
        if forbiddenNames.contains(key) { return "Artifactory forbids \"\(key)\" as a repository key" }
        if reservedNames.contains(key.lowercased()) {
            return "Artifactory serves \"\(key)\" at the root of its URL itself, so a request under it would not"
                + " reach a repository"
        }
        return nil
    }
}
