/// One call to Artifactory's REST API, relative to the configured base URL: what rules plan, a job
/// row stores and the client sends, exactly.
///
/// Build one with the endpoint factories (``setProperties(on:recursive:_:)``, ``copy(_:to:options:)``,
/// ``promoteBuild(name:number:project:body:)``, ``ping`` and the rest): they are the only code that
/// writes Artifactory URLs, with ``URLEncoding``, from checked names (``ItemLocation``,
/// ``PathSegment``) that refuse `.` and `..` segments. The memberwise initializer takes a request
/// as it was stored.
public struct ArtifactoryRequest: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP methods the API's calls use.
    public enum Method: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case get = "GET"
        case put = "PUT"
        case post = "POST"
        case delete = "DELETE"
        case patch = "PATCH"

        public var description: String { rawValue }
    }

    /// Which base URL the path is relative to.
    public enum Base: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The configured Artifactory URL with its context path (`https://host/artifactory`): every
        /// Artifactory REST call.
        case artifactory
        /// The JFrog Platform's URL (`https://host`): the Lifecycle API, the Event API, Xray.
        case platform
        /// An outbound target of the config's `targets:`, named by ``ArtifactoryRequest/target``:
        /// the rules' `http:` calls.
        case target

        public var description: String { rawValue }
    }

    /// A header a rule sets on an `http:` call: a literal name, a rendered value without control
    /// characters.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The HTTP method.
    public var method: Method
    /// Path and query relative to the base URL, already percent-encoded, sent exactly as given:
    /// `api/storage/libs-release-local/a/b.jar?properties=qa=done&recursive=0`. A leading `/` is
    /// allowed and ignored.
    public var pathAndQuery: String
    /// The request body (JSON, or an AQL query), when there is one.
    public var body: String?
    /// The body's media type (`application/json`, `text/plain`), when there is a body.
    public var contentType: String?
    /// The base URL ``pathAndQuery`` is relative to. Default ``Base/artifactory``.
    public var base: Base
    /// The outbound target's name when ``base`` is ``Base/target``; `nil` otherwise.
    public var target: String?
    /// Headers the rule sets (`http:` calls only), in the order written; the client adds its own
    /// (authorization, signature, content type) when it sends.
    public var headers: [Header]

    public init(
        method: Method, pathAndQuery: String, body: String? = nil, contentType: String? = nil,
        base: Base = .artifactory, target: String? = nil, headers: [Header] = []
    ) {
        self.target = target
        self.headers = headers
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.body = body
        self.contentType = contentType
        self.base = base
    }

    /// The path without the query and without a leading `/`: what logs show.
    public var path: String {
        let relative = pathAndQuery.hasPrefix("/") ? pathAndQuery.dropFirst() : pathAndQuery[...]
        return String(relative.prefix { $0 != "?" })
    }

    /// `METHOD path` (no query, no body); a platform call's path starts with `platform:`, a
    /// target's with `target:NAME/`.
    public var description: String {
        switch base {
        case .artifactory: "\(method.rawValue) \(path)"
        case .platform: "\(method.rawValue) platform:\(path)"
        case .target: "\(method.rawValue) target:\(target ?? "")/\(path)"
        }
    }

    /// The full URL against `baseURL` (`https://host/artifactory`, with or without a final `/`).
    public func url(baseURL: String) -> String {
        (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/" + pathAndQuery
    }
}
