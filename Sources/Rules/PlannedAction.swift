public import ArtifactoryEvents

/// One call to Artifactory's REST API that a rule planned for an event: what the worker sends,
/// exactly, and the subject whose jobs must run in order.
///
/// A job row stores it as JSON (``storedJSON``, members sorted):
/// `{"action_index":0,"kind":"set_properties","method":"PUT",
///   "path":"api/storage/libs-release-local/com/a.jar?properties=qa.status=pending&recursive=0",
///   "rule":"tag-release-jars","subject":"artifact:libs-release-local/com/a.jar"}`
/// (`body` and `content_type` appear when there is a body).
public struct PlannedAction: Sendable, Hashable {
    /// The rule actions come from, in planning order.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        case setProperties = "set_properties"
        case deleteProperties = "delete_properties"
        case promoteBuild = "promote_build"
        case copy
        case move
        case delete

        public var description: String { rawValue }
    }

    /// The HTTP methods actions use.
    public enum Method: String, Sendable, Hashable, CustomStringConvertible {
        case put = "PUT"
        case post = "POST"
        case delete = "DELETE"

        public var description: String { rawValue }
    }

    /// The rule that planned it.
    public var rule: String
    /// Its position in the rule's `do:` list, from 0.
    public var actionIndex: Int
    /// What the call does.
    public var kind: Kind
    /// The target's ordering key, the same text as `EventSubject.key`: `artifact:REPO/PATH` (the
    /// item acted on; for copy and move, the source) or `build:NAME#NUMBER`.
    public var subject: String
    /// The HTTP method to send.
    public var method: Method
    /// Path and query relative to the Artifactory base URL, without a leading `/`, already encoded:
    /// `api/storage/libs-release-local/com/a.jar?properties=…&recursive=0`.
    public var path: String
    /// The JSON body, when the call has one.
    public var body: String?
    /// The body's content type (`application/json`), when there is a body.
    public var contentType: String?

    /// The events Artifactory sends when the call succeeds (loop guard). Not part of the request:
    /// the job row keeps them apart.
    public var effects: [ExpectedEffect] = []

    public init(
        rule: String, actionIndex: Int, kind: Kind, subject: String, method: Method, path: String,
        body: String? = nil, contentType: String? = nil, effects: [ExpectedEffect] = []
    ) {
        self.effects = effects
        self.rule = rule
        self.actionIndex = actionIndex
        self.kind = kind
        self.subject = subject
        self.method = method
        self.path = path
        self.body = body
        self.contentType = contentType
    }

    /// The full URL against `baseURL` (`https://host/artifactory`, with or without a final `/`).
    public func url(baseURL: String) -> String {
        (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/" + path
    }
}
