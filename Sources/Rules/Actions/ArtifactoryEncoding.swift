import ArtifactoryEvents

/// How values are written into Artifactory request URLs.
///
/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded as
/// UTF-8, so a `/` inside a build name becomes `%2F`, a space `%20`, a `+` `%2B` (never read as a
/// space), a `;` `%3B` (never read as a matrix parameter).
enum ArtifactoryEncoding {
    /// A path split into segments, checked and encoded.
    struct Path: Sendable, Hashable {
        /// The segments joined by `/`, without empty segments (`repo/a/b.jar`), as text.
        var text: String
        /// The same with every segment percent-encoded.
        var encoded: String
        var segmentCount: Int

        /// The first segment as text, and the path after it.
        func splittingFirstSegment() -> (first: String, rest: Path) {
            guard let slash = text.firstIndex(of: "/"), let encodedSlash = encoded.firstIndex(of: "/") else {
                return (text, Path(text: "", encoded: "", segmentCount: 0))
            }
            return (
                String(text[..<slash]),
                Path(
                    text: String(text[text.index(after: slash)...]),
                    encoded: String(encoded[encoded.index(after: encodedSlash)...]), segmentCount: segmentCount - 1)
            )
        }
    }

    /// Splits `path` on `/`, dropping empty segments, refusing `.` and `..` (as `bad_path`, naming
    /// `role`), and encodes each segment. A path that needs neither (the common case) comes back
    /// without copying.
    static func path(_ path: String, role: String) throws(RulesError) -> Path {
        var path = path
        let scanned = path.withUTF8 { Scan($0) }
        if let bad = scanned.badSegment {
            throw RulesError(
                .badPath, "\(role) \"\(path)\" has a \"\(bad)\" segment; a path never leaves its repository")
        }
        if scanned.isClean { return Path(text: path, encoded: path, segmentCount: scanned.segments) }
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
        return Path(
            text: String(decoding: text, as: UTF8.self), encoded: String(decoding: encoded, as: UTF8.self),
            segmentCount: scanned.segments)
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
                } else if bytes[start] == UInt8(ascii: "."), length == 1 || (length == 2 && bytes[start + 1] == 0x2E) {
                    if badSegment == nil { badSegment = length == 1 ? "." : ".." }
                } else {
                    segments += 1
                }
                start = index + 1
            }
        }
    }

    /// One path segment, or one query value, percent-encoded.
    static func percentEncode(_ text: String) -> String { URLEncoding.percentEncode(text) }

    /// A property key or value escaped for Artifactory's `properties=` syntax, then
    /// percent-encoded (see ``URLEncoding/propertyText(_:)``).
    static func propertyText(_ text: String) -> String { URLEncoding.propertyText(text) }

    /// The characters JFrog forbids in a property key (besides the space).
    static let forbiddenKeyCharacters: Set<Character> = Set(")(}{][*+^$\\/~`!@#%&<>;=,±§ ")
}
