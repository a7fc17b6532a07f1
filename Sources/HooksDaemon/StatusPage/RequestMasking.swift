import ArtifactoryRequests
import Foundation

/// A planned request written out for the job page: method and URL, headers, body, with the values
/// of headers, query parameters and JSON fields whose names look like credentials masked. The
/// worker adds the real credentials only when it sends, so a stored request holds one only when a
/// rule wrote it in; the page does not show even that.
enum RequestMasking {
    /// Name parts that mark a value as secret (compared lowercased).
    static let secretNames = [
        "auth", "token", "password", "passwd", "secret", "apikey", "api_key", "api-key", "cookie", "signature",
        "credential", "private",
    ]

    static let mask = "••••••"

    static func isSecret(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return secretNames.contains { lowered.contains($0) }
    }

    /// The request as text: `METHOD URL`, then headers, then the body (pretty JSON when it is JSON).
    static func text(_ request: ArtifactoryRequest, base: String) -> String {
        var lines = ["\(request.method.rawValue) \(base)\(maskedPathAndQuery(request.pathAndQuery))"]
        for header in request.headers {
            lines.append("\(header.name): \(isSecret(header.name) ? mask : header.value)")
        }
        if let contentType = request.contentType { lines.append("Content-Type: \(contentType)") }
        if let body = request.body {
            lines.append("")
            lines.append(maskedBody(body))
        }
        return lines.joined(separator: "\n")
    }

    /// `path?a=1&token=••••••`: values of secret-looking query parameters masked.
    static func maskedPathAndQuery(_ pathAndQuery: String) -> String {
        let relative = pathAndQuery.hasPrefix("/") ? String(pathAndQuery.dropFirst()) : pathAndQuery
        guard let mark = relative.firstIndex(of: "?") else { return relative }
        let pairs = relative[relative.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false)
        let masked = pairs.map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, isSecret(String(parts[0])) else { return String(pair) }
            return "\(parts[0])=\(mask)"
        }
        return String(relative[..<mark]) + "?" + masked.joined(separator: "&")
    }

    /// A JSON body re-indented with secret-looking fields masked at any depth; any other body as is.
    static func maskedBody(_ body: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])
        else { return body }
        let masked = maskValues(object)
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: masked,
                options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return body }
        return String(decoding: data, as: UTF8.self)
    }

    private static func maskValues(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, inner) in object { result[key] = isSecret(key) ? mask : maskValues(inner) }
            return result
        }
        if let list = value as? [Any] { return list.map(maskValues) }
        return value
    }
}
