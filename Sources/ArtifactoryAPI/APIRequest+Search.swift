extension APIRequest {
    /// Artifactory Query Language: `POST api/search/aql` with the query as a `text/plain` body,
    /// for example `items.find({"repo":{"$eq":"libs-release-local"}})`.
    public static func aql(_ query: String) -> APIRequest {
        APIRequest(method: .post, pathAndQuery: "api/search/aql", body: Array(query.utf8), contentType: "text/plain")
    }
}
