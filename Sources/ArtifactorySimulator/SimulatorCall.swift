import Foundation
import HTTPTypes

/// One routed call: what the handlers need to answer.
struct SimulatorCall {
    var method: HTTPRequest.Method
    var target: RequestTarget
    var body: [UInt8]
    var user: String
    /// `http://host:port/artifactory`, for the `uri` fields.
    var baseURL: String
    var now: Date

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, or 400.
    func jsonObject() throws(SimulatorError) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw .badRequest("The request body must be a JSON object")
        }
        return object
    }
}
