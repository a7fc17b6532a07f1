import Foundation
public import HTTPTypes
public import Hummingbird

/// An answer the simulator gives as Artifactory's documented error body,
/// `{"errors":[{"status":404,"message":"…"}]}`.
public struct SimulatorError: HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The message, worded like Artifactory's where its wording is known.
    public var message: String
    /// Extra headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let error: [String: Any] = ["status": status.code, "message": message]
        return Response.json(["errors": [error]], status: status, headers: headers)
    }

    static func notFound(_ message: String) -> SimulatorError { SimulatorError(.notFound, message) }
    static func badRequest(_ message: String) -> SimulatorError { SimulatorError(.badRequest, message) }

    static func missingRepository(_ key: String) -> SimulatorError {
        .notFound("Repository \(key) does not exist")
    }

    static let itemNotFound = SimulatorError.notFound("Unable to find item")
}
