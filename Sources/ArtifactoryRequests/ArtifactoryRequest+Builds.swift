extension ArtifactoryRequest {
    /// Build Promotion: `POST api/build/promote/{name}/{number}[?project=KEY]` with `body`, the
    /// promotion as a JSON object, as its body.
    public static func promoteBuild(name: PathSegment, number: PathSegment, project: String?, body: String)
        -> ArtifactoryRequest
    {
        ArtifactoryRequest(
            method: .post, pathAndQuery: buildPath("api/build/promote/", name, number, project), body: body,
            contentType: "application/json")
    }

    /// Build Info: `GET api/build/{name}/{number}[?project=KEY]`.
    public static func buildInfo(name: PathSegment, number: PathSegment, project: String?) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .get, pathAndQuery: buildPath("api/build/", name, number, project))
    }

    /// `prefix{name}/{number}`, then `?project=KEY` when a project is given.
    private static func buildPath(_ prefix: String, _ name: PathSegment, _ number: PathSegment, _ project: String?)
        -> String
    {
        var url = URLText(prefix)
        url.append(name.encoded)
        url.append(byte: UInt8(ascii: "/"))
        url.append(number.encoded)
        if let project {
            url.append("?project=")
            url.appendEncoded(project)
        }
        return url.string
    }
}
