public import Foundation

/// One request the simulator received, for tests to read.
public struct RecordedRequest: Sendable, Hashable {
    /// Increases by one per request.
    public var id: Int
    /// `GET`, `PUT`, …
    public var method: String
    /// The raw path and query as received, e.g. `/artifactory/api/build/team%2Fapp/1`.
    public var target: String
    /// The body bytes.
    public var body: [UInt8]
    /// The `Content-Type` header, if any.
    public var contentType: String?
    /// The scheme of the `Authorization` header (`Bearer`, `Basic`), never the credential.
    public var authorizationScheme: String?
    /// When it arrived.
    public var receivedAt: Date
    /// The status answered; `nil` while in progress or when the connection was dropped.
    public var status: Int?
    /// The fault injected into this request, if any.
    public var fault: Fault?

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
