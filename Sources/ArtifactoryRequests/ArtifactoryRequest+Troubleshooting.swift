extension ArtifactoryRequest {
    /// Fetch Webhooks Troubleshooting Data: `GET event/api/v1/troubleshooting` on the JFrog
    /// Platform's URL, answered with a stream of concatenated JSON records (see
    /// `TroubleshootingStream`).
    ///
    /// `start` is the time (Unix milliseconds, as the records' `timestamp`) the records begin at;
    /// `0` asks for everything still kept. Artifactory streams live, without end, when `start`
    /// comes without `end` or `count`, so this call always bounds the answer with both: `end`
    /// (exclusive) and at most `count` records. `subscription` keeps only one webhook's records.
    public static func troubleshooting(subscription: String?, start: Int64, end: Int64, count: Int)
        -> ArtifactoryRequest
    {
        var query: [(String, String)] = []
        if let subscription { query.append(("subscription", subscription)) }
        query += [("start", String(max(0, start))), ("end", String(end)), ("count", String(max(1, count)))]
        let text = query.map { "\($0.0)=" + URLEncoding.percentEncode($0.1) }.joined(separator: "&")
        return ArtifactoryRequest(method: .get, pathAndQuery: "event/api/v1/troubleshooting?" + text, base: .platform)
    }
}
