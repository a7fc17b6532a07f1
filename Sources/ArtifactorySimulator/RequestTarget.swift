import ArtifactoryRequests
import Foundation

/// A request target split the way Artifactory reads it: the raw path cut at `/` *before*
/// percent-decoding, so `team%2Fapp` stays one segment (`team/app`), and the query decoded per
/// parameter.
struct RequestTarget {
    /// The decoded path segments after the context path.
    var segments: [String]
    /// The decoded query parameters; a parameter without `=` has the value `""`. `+` reads as a
    /// space, as Artifactory's servlet container reads it.
    var query: [String: String]

    /// Parses `/artifactory/api/storage/repo/a%20b?properties=x`; `nil` when the path is outside
    /// `contextPath` or holds a malformed escape.
    init?(rawTarget: String, contextPath: String) {
        let rawPath = rawTarget.prefix { $0 != "?" }
        var segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let context = contextPath.split(separator: "/").map(String.init)
        guard segments.starts(with: context) else { return nil }
        segments.removeFirst(context.count)
        var decoded: [String] = []
        for segment in segments {
            guard let value = URLEncoding.percentDecoded(segment) else { return nil }
            decoded.append(value)
        }
        self.segments = decoded

        query = [:]
        if let mark = rawTarget.firstIndex(of: "?") {
            for pair in rawTarget[rawTarget.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let key = Self.decodeQuery(parts[0]) else { return nil }
                guard let value = parts.count > 1 ? Self.decodeQuery(parts[1]) : "" else { return nil }
                query[key] = value
            }
        }
    }

    /// A query flag: `1`/`true` is on, `0`/`false` is off, absent is `defaultValue`.
    func flag(_ name: String, default defaultValue: Bool) -> Bool {
        guard let value = query[name]?.lowercased() else { return defaultValue }
        return value == "1" || value == "true"
    }

    private static func decodeQuery(_ text: Substring) -> String? {
        URLEncoding.percentDecoded(text.replacingOccurrences(of: "+", with: " "))
    }
}
