import Foundation
import HTTPTypes
import Hummingbird

extension Response {
    /// A JSON object answer with sorted keys.
    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response
    {
        jsonValue(object, status: status, headers: headers)
    }

    /// A JSON array answer.
    static func json(_ array: [Any], status: HTTPResponse.Status = .ok) -> Response {
        jsonValue(array, status: status, headers: [:])
    }

    private static func jsonValue(_ object: Any, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A plain-text answer.
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// An empty answer (204 by default).
    static func empty(_ status: HTTPResponse.Status = .noContent) -> Response {
        Response(status: status)
    }
}
