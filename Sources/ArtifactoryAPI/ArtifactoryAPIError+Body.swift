import ArtifactoryEvents
import Foundation

extension ArtifactoryAPIError {
    /// Artifactory's messages in an error body:
    /// - `{"errors": [{"status": 404, "message": "…"}]}`, the documented error format;
    /// - `{"messages": [{"level": "ERROR", "message": "…"}]}`, what promotion, copy and move report;
    /// - a short `text/plain` body as it is.
    ///
    /// Anything else (HTML from a proxy, an empty body) gives no message.
    static func messages(fromBody body: [UInt8], contentType: String?) -> [String] {
        if let root = try? JSONParser.parse(body) {
            for key in ["errors", "messages"] {
                if case .array(let entries) = root[key] {
                    return entries.compactMap { $0["message"]?.scalarText }.filter { !$0.isEmpty }
                }
            }
            return []
        }
        guard contentType?.lowercased().hasPrefix("text/plain") == true else { return [] }
        let text = String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? [] : [text]
    }
}
