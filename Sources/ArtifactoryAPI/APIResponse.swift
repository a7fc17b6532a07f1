/// A successful (2xx) answer from Artifactory.
public struct APIResponse: Sendable, Hashable {
    /// The HTTP status code.
    public var status: Int
    /// Response headers by lower-case name; repeated headers are joined with `, `.
    public var headers: [String: String]
    /// The response body.
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the header `name` (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
