extension ArtifactoryRequest {
    /// A call a rule spells out itself (`artifactory:` or `platform:`): `segments` are the path's
    /// segments, each percent-encoded whole, and `query` its parameters in order, names and values
    /// percent-encoded.
    ///
    /// A segment that is `.` or `..` (``ArtifactoryRequestError/Code/dotSegment``) or holds a `/`
    /// (``ArtifactoryRequestError/Code/separatorInSegment``) is refused, and empty segments are
    /// dropped, so the path has exactly the shape the segments give it under `base`: no text can
    /// add a segment, climb out of the base, or start a query or fragment.
    public static func generic(
        _ method: Method, base: Base, segments: [String], query: [(name: String, value: String)] = [],
        body: String? = nil, contentType: String? = nil
    ) throws(ArtifactoryRequestError) -> ArtifactoryRequest {
        var text = URLText()
        for segment in segments where !segment.isEmpty {
            guard !segment.utf8.contains(UInt8(ascii: "/")) else {
                throw ArtifactoryRequestError(.separatorInSegment, text: segment)
            }
            let checked = try PathSegment(segment)
            if !text.bytes.isEmpty { text.append(byte: UInt8(ascii: "/")) }
            text.append(checked.encoded)
        }
        for (index, parameter) in query.enumerated() {
            text.append(byte: index == 0 ? UInt8(ascii: "?") : UInt8(ascii: "&"))
            text.appendEncoded(parameter.name)
            text.append(byte: UInt8(ascii: "="))
            text.appendEncoded(parameter.value)
        }
        return ArtifactoryRequest(
            method: method, pathAndQuery: text.string, body: body, contentType: body == nil ? nil : contentType,
            base: base)
    }
}

extension ArtifactoryRequest.Base {
    /// The JFrog Platform's base URL for an Artifactory base URL: the same URL without a final
    /// `/artifactory` segment (`https://host/artifactory` → `https://host`); a URL without one is
    /// its own platform URL. Final slashes are dropped.
    public static func platformURL(fromArtifactoryURL url: String) -> String {
        var text = Substring(url)
        while text.hasSuffix("/") { text.removeLast() }
        let suffix = "/artifactory"
        if text.hasSuffix(suffix), !text.dropLast(suffix.count).hasSuffix("/") {
            text.removeLast(suffix.count)
        }
        return String(text)
    }
}
