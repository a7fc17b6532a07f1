import ArtifactoryRequests

/// Checks the promise every planned request keeps whatever the event or the item found: its path
/// has no segment that is, or percent-decodes to, `.` or `..`, and no fragment, so it cannot leave
/// the base URL it is sent under (the same reading as the client's refusal before sending).
public func fuzzCheckStaysUnderBase(_ request: ArtifactoryRequest) {
    let pathAndQuery = request.pathAndQuery
    let path =
        pathAndQuery.utf8.split(separator: UInt8(ascii: "?"), maxSplits: 1, omittingEmptySubsequences: false)
        .first.map { Substring($0) } ?? ""
    fuzzCheck(!path.utf8.contains(UInt8(ascii: "#")), "a planned path holds a fragment: \(pathAndQuery)")
    for segment in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
        fuzzCheck(!URLEncoding.isDotSegment(Substring(segment)), "a planned path leaves its base: \(pathAndQuery)")
    }
}
