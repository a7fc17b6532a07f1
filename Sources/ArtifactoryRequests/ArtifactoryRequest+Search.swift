extension ArtifactoryRequest {
    /// Artifactory Query Language: `POST api/search/aql` with the query as a `text/plain` body,
    /// for example `items.find({"repo":{"$eq":"libs-release-local"}})`.
    public static func aql(_ query: String) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .post, pathAndQuery: "api/search/aql", body: query, contentType: "text/plain")
    }
}
