import ArtifactoryEvents
import HooksTestSupport
import Testing

/// The troubleshooting stream: concatenated records, split anywhere, read whole; anything else is
/// a clear failure after the whole records before it.
struct TroubleshootingStreamTests {
    static func stream() throws -> [UInt8] { try Fixtures.bytes("troubleshooting/stream.json") }

    static func read(_ bytes: [UInt8], chunk: Int, limit: Int = 1 << 20)
        -> (records: [TroubleshootingRecord], failure: TroubleshootingStream.Failure?)
    {
        var stream = TroubleshootingStream(maxRecordBytes: limit)
        var records: [TroubleshootingRecord] = []
        var start = 0
        while start < bytes.count {
            records += stream.append(bytes[start..<min(start + chunk, bytes.count)])
            start += chunk
        }
        stream.finish()
        return (records, stream.failure)
    }

    @Test func recordsReadWithTheirFields() throws {
        let (records, failure) = Self.read(try Self.stream(), chunk: 1 << 16)
        #expect(failure == nil)
        try #require(records.count == 3)
        #expect(records[0].timestamp == 1_796_600_000_123)
        #expect(records[0].subscriptionKey == "hooks-main")
        #expect(records[0].eventID == "01JEXAMPLE0000000000000001")
        #expect(records[0].responseStatus == 503)
        #expect(!records[0].delivered)
        let event = try WebhookEvent(body: try #require(records[0].payload))
        #expect(event.kind.description == "artifact.deployed")
        #expect(event.data["path"]?.stringValue == #"com/acme/a {b}/"q".jar"#)
        #expect(records[1].delivered)
        #expect(records[2].responseStatus == nil)
        #expect(records[2].subscriptionKey == "other")
        #expect(!records[2].delivered)
    }

    @Test("a stream split at any byte reads the same records", arguments: [1, 2, 3, 7, 64, 1000])
    func anySplit(chunk: Int) throws {
        let bytes = try Self.stream()
        let whole = Self.read(bytes, chunk: bytes.count)
        let split = Self.read(bytes, chunk: chunk)
        #expect(split.records == whole.records)
        #expect(split.records.count == 3 && split.failure == nil)
    }

    @Test("a record over the limit is passed over and counted; the records after it are read")
    func aRecordOverTheLimitIsPassedOver() throws {
        let big = #"{"timestamp":2,"request":{"payload":"# + String(repeating: "x\\\"}{", count: 200) + #""}}"#
        let text = #"{"timestamp":1} "# + big + #" {"timestamp":3}"#
        for chunk in [1, 7, 1000] {
            var stream = TroubleshootingStream(maxRecordBytes: 100)
            var records: [TroubleshootingRecord] = []
            for start in stride(from: 0, to: text.utf8.count, by: chunk) {
                records += stream.append(Array(text.utf8).dropFirst(start).prefix(chunk))
            }
            stream.finish()
            #expect(records.map(\.timestamp) == [1, 3])
            #expect(stream.oversizedRecords == 1)
            #expect(stream.failure == nil)
        }
    }

    @Test(
        "what is not a stream of objects is refused, after the whole records before it",
        arguments: [
            (#"{"timestamp":1} [1]"#, "expected a JSON object"),
            (#"{"timestamp":1} {"a":"#, "the stream ended inside a record"),
            (#"{"timestamp":1} {"a":tru}"#, "a record is not JSON"),
            (#"{"timestamp":1} {]"#, "a record is not JSON"),
        ])
    func notAStream(text: String, reason: String) throws {
        let (records, failure) = Self.read(Array(text.utf8), chunk: 1000)
        #expect(records.map(\.timestamp) == [1])
        #expect(failure?.reason.hasPrefix(reason) == true, "\(String(describing: failure))")
    }
}
