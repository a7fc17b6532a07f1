extension APIRequest {
    /// Copy Item: `POST api/copy/{repo}/{path}?to=/{targetRepo}/{targetPath}&dry=0|1&suppressLayouts=0|1&failFast=0|1`.
    public static func copy(from source: ItemLocation, to target: ItemLocation, options: CopyMoveOptions = .init())
        -> APIRequest
    {
        copyOrMove("copy", from: source, to: target, options: options)
    }

    /// Move Item: `POST api/move/{repo}/{path}?to=/{targetRepo}/{targetPath}&dry=0|1&suppressLayouts=0|1&failFast=0|1`.
    public static func move(from source: ItemLocation, to target: ItemLocation, options: CopyMoveOptions = .init())
        -> APIRequest
    {
        copyOrMove("move", from: source, to: target, options: options)
    }

    /// Delete Item: `DELETE {repo}/{path}` (a file, or a folder with everything in it).
    public static func deleteItem(_ item: ItemLocation) -> APIRequest {
        APIRequest(method: .delete, pathAndQuery: ArtifactoryEncoding.repositoryPath(repo: item.repo, path: item.path))
    }

    private static func copyOrMove(
        _ operation: String, from source: ItemLocation, to target: ItemLocation, options: CopyMoveOptions
    ) -> APIRequest {
        // The target is a path inside a query value: `/` stays, everything else in a segment is encoded.
        let to = "/" + ArtifactoryEncoding.repositoryPath(repo: target.repo, path: target.path)
        return APIRequest(
            method: .post,
            pathAndQuery: "api/\(operation)/" + ArtifactoryEncoding.repositoryPath(repo: source.repo, path: source.path)
                + "?to=" + to + "&dry=" + flag(options.dryRun) + "&suppressLayouts=" + flag(options.suppressLayouts)
                + "&failFast=" + flag(options.failFast))
    }
}
