import Foundation
import HTTPTypes
import Hummingbird

/// Stream / Fetch Webhooks Troubleshooting Data: `GET /event/api/v1/troubleshooting` at the
/// platform root, as JFrog's REST API page describes it: concatenated JSON records, filtered by
/// `subscription` and `target`, from `start` (Unix milliseconds, inclusive) to `end` (exclusive),
/// at most `count`. `end` and `count` are taken only with `start`.
extension SimulatorResponder {
    func troubleshootingRoute(_ call: SimulatorCall) throws(SimulatorError) -> Response {
        guard call.method == .get else { throw .notFound("Not Found") }
        switch state.troubleshootingStore {
        case .available: break
        case .missing: throw .notFound("Webhooks troubleshooting data is not available")
        case .forbidden: throw SimulatorError(.forbidden, "Forbidden")
        }
        let query = call.target.query
        let start = try Self.integer(query, "start")
        let end = try Self.integer(query, "end")
        let count = try Self.integer(query, "count")
        if start == nil, end != nil || count != nil { throw .badRequest("end and count are taken only with start") }
        // Artifactory keeps such a stream open and sends new records as they come.
        if start != nil, end == nil, count == nil {
            throw .badRequest("The simulator does not stream live: give end or count with start")
        }
        if let count, count < 1 { throw .badRequest("count must be at least 1") }
        var records = state.troubleshootingRecords.filter { record in
            (query["subscription"].map { $0 == record.subscriptionKey } ?? true)
                && (query["target"].map { $0 == record.targetURL } ?? true)
                && record.timestamp >= (start ?? 0) && (end.map { record.timestamp < $0 } ?? true)
        }
        if let count, records.count > count { records = Array(records.prefix(Int(clamping: count))) }
        var text = ""
        for record in records {
            let data =
                (try? JSONSerialization.data(
                    withJSONObject: record.json, options: [.sortedKeys, .withoutEscapingSlashes]))
                ?? Data("{}".utf8)
            text += String(decoding: data, as: UTF8.self) + "\n"
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func integer(_ query: [String: String], _ name: String) throws(SimulatorError) -> Int64? {
        guard let text = query[name] else { return nil }
        guard let value = Int64(text) else { throw .badRequest("\(name) must be an integer") }
        return value
    }
}
