import ArtifactoryEvents
import FuzzSupport

fuzzMain(fuzzTroubleshooting)

/// `TroubleshootingStream` (catch-up's reader of Artifactory's troubleshooting stream) over any
/// bytes. Input: one byte for the record limit, one for the chunk size, then the stream.
///
/// Checked: the stream read in chunks gives exactly what it gives read whole (records, failure,
/// records passed over), since chunks may split records anywhere; each record's payload goes
/// through the webhook decoder, as catch-up stores it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTroubleshooting(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzBytes(data, size)
    guard input.count >= 2 else { return 0 }
    let maxRecordBytes = 1 + Int(input[0]) * 8
    let chunkSize = 1 + Int(input[1])
    let stream = input.dropFirst(2)

    var whole = TroubleshootingStream(maxRecordBytes: maxRecordBytes)
    let wholeRecords = whole.append(stream)
    whole.finish()

    var chunked = TroubleshootingStream(maxRecordBytes: maxRecordBytes)
    var chunkedRecords: [TroubleshootingRecord] = []
    var start = stream.startIndex
    while start < stream.endIndex {
        let end = min(start + chunkSize, stream.endIndex)
        chunkedRecords += chunked.append(stream[start..<end])
        start = end
    }
    chunked.finish()

    fuzzCheck(chunkedRecords == wholeRecords, "chunks of \(chunkSize) give other records than the whole")
    fuzzCheck(
        chunked.failure == whole.failure,
        "chunks of \(chunkSize) fail with \(String(describing: chunked.failure)), "
            + "the whole with \(String(describing: whole.failure))")
    fuzzCheck(chunked.oversizedRecords == whole.oversizedRecords, "chunks pass over other records than the whole")
    for record in wholeRecords {
        if let payload = record.payload { _ = try? WebhookEvent(body: payload) }
        _ = record.delivered
    }
    return 0
}
