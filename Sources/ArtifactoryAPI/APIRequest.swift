/// One call to Artifactory's REST API, relative to the configured base URL.
///
/// The worker sends the requests the rules planned through ``ArtifactoryClient/execute(_:)``; the
/// typed calls (``ArtifactoryClient/setProperties(repo:path:properties:recursive:)`` and the rest)
/// build one of these with the static factories and go through the same path.
public struct APIRequest: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP methods the API uses.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case get = "GET"
        case head = "HEAD"
        case put = "PUT"
        case post = "POST"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    /// The HTTP method.
    public var method: Method
    /// Path and query relative to the base URL, already percent-encoded, sent exactly as given:
    /// `api/storage/libs-release-local/a/b.jar?properties=qa=done&recursive=0`. A leading `/` is
    /// allowed and ignored.
    public var pathAndQuery: String
    /// The request body, when there is one.
    public var body: [UInt8]?
    /// The body's media type (`application/json`, `text/plain`), when there is a body.
    public var contentType: String?

    public init(method: Method, pathAndQuery: String, body: [UInt8]? = nil, contentType: String? = nil) {
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.body = body
        self.contentType = contentType
    }

    /// The path without the query and without a leading `/`: what logs show.
    public var path: String {
        let relative = pathAndQuery.hasPrefix("/") ? pathAndQuery.dropFirst() : pathAndQuery[...]
        return String(relative.prefix { $0 != "?" })
    }

    /// `METHOD path` (no query, no body).
    public var description: String { "\(method.rawValue) \(path)" }
}
