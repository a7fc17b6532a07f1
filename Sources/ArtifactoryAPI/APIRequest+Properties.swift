extension APIRequest {
    /// Set Item Properties: `PUT api/storage/{repo}/{path}?properties=k=v1,v2;k2=v&recursive=0|1`.
    ///
    /// Replaces the values of the named keys and leaves other keys alone. An empty `path` targets
    /// the repository itself.
    public static func setProperties(repo: String, path: String, properties: [String: [String]], recursive: Bool)
        -> APIRequest
    {
        APIRequest(
            method: .put,
            pathAndQuery: "api/storage/" + ArtifactoryEncoding.repositoryPath(repo: repo, path: path)
                + "?properties=" + ArtifactoryEncoding.properties(properties) + "&recursive=" + flag(recursive))
    }

    /// Delete Item Properties: `DELETE api/storage/{repo}/{path}?properties=k1,k2&recursive=0|1`.
    public static func deleteProperties(repo: String, path: String, keys: [String], recursive: Bool) -> APIRequest {
        APIRequest(
            method: .delete,
            pathAndQuery: "api/storage/" + ArtifactoryEncoding.repositoryPath(repo: repo, path: path)
                + "?properties=" + ArtifactoryEncoding.propertyKeys(keys) + "&recursive=" + flag(recursive))
    }

    /// Get Item Properties: `GET api/storage/{repo}/{path}?properties`, or only the named keys with
    /// `?properties=k1,k2`.
    public static func getProperties(repo: String, path: String, keys: [String]? = nil) -> APIRequest {
        var pathAndQuery = "api/storage/" + ArtifactoryEncoding.repositoryPath(repo: repo, path: path) + "?properties"
        if let keys, !keys.isEmpty { pathAndQuery += "=" + ArtifactoryEncoding.propertyKeys(keys) }
        return APIRequest(method: .get, pathAndQuery: pathAndQuery)
    }

    /// `1` or `0`, as the API writes booleans in queries.
    static func flag(_ value: Bool) -> String { value ? "1" : "0" }
}
