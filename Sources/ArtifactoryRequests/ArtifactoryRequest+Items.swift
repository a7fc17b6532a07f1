extension ArtifactoryRequest {
    /// Copy Item: `POST api/copy/{repo}/{path}?to=/{targetRepo}/{targetPath}` and the switches set
    /// in `options`. Artifactory copies a folder with everything in it.
    public static func copy(_ item: ItemLocation, to target: ItemLocation, options: TransferOptions = .init())
        -> ArtifactoryRequest
    {
        transfer("api/copy/", item, to: target, options: options)
    }

    /// Move Item: `POST api/move/{repo}/{path}?to=/{targetRepo}/{targetPath}` and the switches set
    /// in `options`.
    public static func move(_ item: ItemLocation, to target: ItemLocation, options: TransferOptions = .init())
        -> ArtifactoryRequest
    {
        transfer("api/move/", item, to: target, options: options)
    }

    /// Delete Item: `DELETE {repo}/{path}` (a file, or a folder with everything in it).
    public static func delete(_ item: ItemLocation) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .delete, pathAndQuery: item.encoded)
    }

    /// File Info or Folder Info: `GET api/storage/{repo}/{path}` (a folder's answer lists `children`).
    ///
    /// `encodedItem` is `REPO/PATH` already percent-encoded, as ``ItemLocation/encoded`` writes it
    /// and a planned copy or move names its target.
    public static func storageInfo(encodedItem: some StringProtocol) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .get, pathAndQuery: "api/storage/" + encodedItem)
    }

    /// Item Properties: `GET api/storage/{repo}/{path}?properties`, every property of the item.
    /// Artifactory answers 404 both for a missing item and for one without properties.
    public static func itemProperties(_ item: ItemLocation) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .get, pathAndQuery: "api/storage/" + item.encoded + "?properties")
    }

    private static func transfer(
        _ prefix: String, _ item: ItemLocation, to target: ItemLocation, options: TransferOptions
    ) -> ArtifactoryRequest {
        var url = URLText(prefix)
        url.append(item.encoded)
        // The target is a path inside a query value: `/` stays, everything else in a segment is encoded.
        url.append("?to=/")
        url.append(target.encoded)
        if options.dryRun { url.append("&dry=1") }
        if let suppress = options.suppressLayouts { url.append(suppress ? "&suppressLayouts=1" : "&suppressLayouts=0") }
        if let failFast = options.failFast { url.append(failFast ? "&failFast=1" : "&failFast=0") }
        return ArtifactoryRequest(method: .post, pathAndQuery: url.string)
    }
}
