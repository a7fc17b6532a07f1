import ArtifactoryRequests
import FuzzSupport

fuzzMain(fuzzURL)

/// The URL vocabulary over any text: `PathSegment`, `ItemPath`, `RepositoryKey`, `ItemLocation`
/// and `URLEncoding`.
///
/// Checked: an encoded path holds only unreserved bytes, `%XX` and `/`, and percent-decodes
/// (as Artifactory and the simulator read it: split at `/`, then decoded) to exactly the path's
/// non-empty segments; a path is refused exactly when one of its segments is `.` or `..`; a
/// segment encodes to one segment that decodes to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let slash = UInt8(ascii: "/")
    let segments = text.utf8.split(separator: slash).map { Array($0) }
    let hasDotSegment = segments.contains { $0 == [0x2E] || $0 == [0x2E, 0x2E] }

    do {
        let path = try ItemPath(text)
        fuzzCheck(!hasDotSegment, "a path with a . or .. segment was taken: \(text)")
        fuzzCheck(path.segmentCount == segments.count, "segment count \(path.segmentCount) for \(text)")
        fuzzCheck(Array(path.text.utf8) == Array(segments.joined(separator: [slash])), "path text of \(text)")
        checkEncoded(path.encoded, decodesTo: segments, of: text)
    } catch {
        fuzzCheck(hasDotSegment, "a path without . or .. segments was refused (\(error)): \(text)")
    }

    do {
        let segment = try PathSegment(text)
        checkEncoded(segment.encoded, decodesTo: [Array(text.utf8)], of: text)
    } catch {
        fuzzCheck(text == "." || text == "..", "a segment other than . or .. was refused: \(text)")
    }

    checkEncodedBytes(URLEncoding.propertyText(text), of: text, slashes: false)

    if let key = try? RepositoryKey(text) {
        fuzzCheck(!key.text.utf8.contains(slash), "a repository key holds a slash: \(text)")
        if let path = try? ItemPath("a/b") {
            let location = ItemLocation(repo: key, path: path)
            fuzzCheck(location.repo.text == key.text, "the location's repository of \(text)")
            fuzzCheck(location.path == "a/b", "the location's path of \(text)")
        }
    }
    if let path = try? ItemPath(text), let location = try? ItemLocation(repositoryPath: path) {
        fuzzCheck(
            location.text == path.text && location.encoded == path.encoded, "the location of \(text) is not its path")
        _ = (location.repo, location.path)
    }
    return 0
}

/// `encoded` has only unreserved bytes, `%XX` and `/`, and split at `/` and percent-decoded gives
/// `segments`.
private func checkEncoded(_ encoded: String, decodesTo segments: [[UInt8]], of text: String) {
    checkEncodedBytes(encoded, of: text, slashes: true)
    let parts = encoded.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    let decoded = parts.map { URLEncoding.percentDecodedBytes(Substring($0)) }
    fuzzCheck(
        segments.isEmpty ? encoded.isEmpty : decoded == segments.map { Optional($0) },
        "\(encoded) does not decode to the segments of \(text)")
}

/// `encoded` has only unreserved bytes and `%XX` (and `/` when `slashes`).
private func checkEncodedBytes(_ encoded: String, of text: String, slashes: Bool) {
    let bytes = Array(encoded.utf8)
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "%") {
            fuzzCheck(
                index + 2 < bytes.count && bytes[index + 1].isHexDigit && bytes[index + 2].isHexDigit,
                "a bare % in \(encoded) for \(text)")
            index += 3
            continue
        }
        fuzzCheck(
            URLEncoding.isUnreserved(byte) || (slashes && byte == UInt8(ascii: "/")),
            "an unencoded byte \(byte) in \(encoded) for \(text)")
        index += 1
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
