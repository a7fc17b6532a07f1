/// Reads Artifactory's webhook troubleshooting stream (`GET event/api/v1/troubleshooting`): JSON
/// objects one after another, `{…} {…}`, with only white space between them, arriving in chunks
/// that split records anywhere.
///
/// Feed each chunk to ``append(_:)``, which returns the records it completed; call ``finish()``
/// at the end of the stream. A record larger than ``maxRecordBytes`` is passed over unread
/// (counted in ``oversizedRecords``) and reading goes on after it. Bytes that are not such a
/// stream stop reading: ``failure`` says why, every record returned before it is whole, and later
/// chunks are ignored.
public struct TroubleshootingStream {
    /// Why the stream cannot be read on.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was wrong, in words.
        public var reason: String
        /// The byte offset in the whole stream where reading stopped.
        public var offset: Int

        public var description: String { "troubleshooting stream: \(reason) at byte \(offset)" }
    }

    /// The largest record read whole; a larger one is passed over.
    public let maxRecordBytes: Int

    /// How many records were passed over for being larger than ``maxRecordBytes``.
    public private(set) var oversizedRecords = 0

    /// The bytes of the record being read.
    private var record: [UInt8] = []
    /// The bytes of an oversized record passed over so far (`0` when none is being passed over).
    private var skipping = 0
    /// Bytes of the stream before ``record``.
    private var consumed = 0
    private var depth = 0
    private var inString = false
    private var escaped = false

    /// Why reading stopped, once it has.
    public private(set) var failure: Failure?

    public init(maxRecordBytes: Int) { self.maxRecordBytes = maxRecordBytes }

    /// Reads `chunk` and returns the records it completed, in order, up to a failure.
    public mutating func append(_ chunk: some Collection<UInt8>) -> [TroubleshootingRecord] {
        var completed: [TroubleshootingRecord] = []
        guard failure == nil else { return completed }
        do {
            try read(chunk, into: &completed)
        } catch {
            failure = error
        }
        return completed
    }

    /// Ends the stream; a record cut off before its end is a ``failure``.
    public mutating func finish() {
        if failure == nil, !record.isEmpty || skipping > 0 {
            failure = Failure(reason: "the stream ended inside a record", offset: consumed)
        }
    }

    private mutating func read(_ chunk: some Collection<UInt8>, into completed: inout [TroubleshootingRecord])
        throws(Failure)
    {
        for byte in chunk {
            if skipping > 0 {
                skipping += 1
                if scan(byte) {
                    consumed += skipping
                    skipping = 0
                    oversizedRecords += 1
                }
                continue
            }
            if record.isEmpty {
                if [0x20, 0x09, 0x0A, 0x0D].contains(byte) {
                    consumed += 1
                    continue
                }
                guard byte == UInt8(ascii: "{") else {
                    throw Failure(reason: "expected a JSON object", offset: consumed)
                }
            }
            record.append(byte)
            if scan(byte) {
                completed.append(try take())
            } else if record.count >= maxRecordBytes {
                // Passed over: its bytes are followed, not kept.
                skipping = record.count
                record.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Follows strings and nesting; `true` when `byte` closes the record.
    private mutating func scan(_ byte: UInt8) -> Bool {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return false
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            return depth == 0
        default: break
        }
        return false
    }

    /// Parses the record just closed and starts the next.
    private mutating func take() throws(Failure) -> TroubleshootingRecord {
        defer {
            consumed += record.count
            record.removeAll(keepingCapacity: true)
        }
        // A record starts with `{` and ends where its nesting does, so a parsed one is an object.
        do throws(JSONParser.Failure) {
            return TroubleshootingRecord(try JSONParser.parse(record))
        } catch {
            throw Failure(reason: "a record is not JSON (\(error.reason))", offset: consumed + error.offset)
        }
    }
}
