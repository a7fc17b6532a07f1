import ArtifactoryEvents
import Hummingbird
import NIOCore

extension IngestController {
    /// A `202 Accepted` and its JSON body, `{"event_id":1,"duplicate":false,"planned":0}`.
    ///
    /// Written by ``JSONObjectWriter`` rather than the context's `JSONEncoder`, which cost more
    /// than the rest of building the answer.
    struct Acknowledgement: ResponseGenerator {
        let eventID: Int64
        let duplicate: Bool
        let planned: Int
        /// Whether the endpoint's `accept:` did not take it (stored, not planned).
        let ignored: Bool

        var json: String {
            var writer = JSONObjectWriter()
            writer.integer("event_id", Int(eventID))
            writer.bool("duplicate", duplicate)
            writer.integer("planned", planned)
            if ignored { writer.bool("ignored", true) }
            return writer.finished
        }

        func response(from request: Request, context: some RequestContext) -> Response {
            Response(
                status: .accepted, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
