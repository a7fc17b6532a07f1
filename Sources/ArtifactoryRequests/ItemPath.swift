/// A path inside a repository, split on `/` and checked: empty segments (leading, trailing or
/// doubled slashes) are dropped and a `.` or `..` segment is refused, so the path cannot leave the
/// place it is put in a URL.
public struct ItemPath: Sendable, Hashable, CustomStringConvertible {
    /// The segments joined by `/`: `com/acme/a b.jar`; empty for no segment.
    public let text: String
    /// The same with every segment percent-encoded: `com/acme/a%20b.jar`.
    public let encoded: String
    /// How many segments there are.
    public let segmentCount: Int

    /// Splits and checks `path`; throws ``ArtifactoryRequestError/Code/dotSegment`` naming the first
    /// `.` or `..` segment. A path that needs neither normalizing nor encoding (the common case)
    /// is kept without copying.
    public init(_ path: String) throws(ArtifactoryRequestError) {
        var path = path
        let scanned = path.withUTF8 { Scan($0) }
        if let bad = scanned.badSegment { throw ArtifactoryRequestError(.dotSegment, text: path, segment: bad) }
        segmentCount = scanned.segments
        if scanned.isClean {
            text = path
            encoded = path
            return
        }
        var text: [UInt8] = []
        var encoded: [UInt8] = []
        path.withUTF8 { bytes in
            text.reserveCapacity(bytes.count)
            encoded.reserveCapacity(bytes.count + 16)
            for segment in bytes.split(separator: UInt8(ascii: "/")) {
                if !text.isEmpty {
                    text.append(UInt8(ascii: "/"))
                    encoded.append(UInt8(ascii: "/"))
                }
                text.append(contentsOf: segment)
                URLEncoding.appendPercentEncoded(segment, to: &encoded)
            }
        }
        self.text = String(decoding: text, as: UTF8.self)
        self.encoded = String(decoding: encoded, as: UTF8.self)
    }

    public var description: String { text }

    /// Whether `segment` is `.` or `..`.
    static func isDotSegment(_ segment: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let dot = UInt8(ascii: ".")
        return segment.first == dot && (segment.count == 1 || (segment.count == 2 && segment.last == dot))
    }

    /// One pass over a path's bytes: its segments, a `.`/`..` segment, and whether it is already
    /// normalized and encoded.
    private struct Scan {
        var segments = 0
        var badSegment: String?
        var isClean = true

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var start = 0
            for index in 0...bytes.count {
                guard index == bytes.count || bytes[index] == UInt8(ascii: "/") else {
                    if !URLEncoding.isUnreserved(bytes[index]) { isClean = false }
                    continue
                }
                let length = index - start
                if length == 0 {
                    isClean = false
                } else if ItemPath.isDotSegment(bytes[start..<index]) {
                    if badSegment == nil { badSegment = length == 1 ? "." : ".." }
                } else {
                    segments += 1
                }
                start = index + 1
            }
        }
    }
}
