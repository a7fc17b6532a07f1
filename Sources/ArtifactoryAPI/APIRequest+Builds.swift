import Foundation

extension APIRequest {
    /// Build Promotion: `POST api/build/promote/{name}/{number}[?project=KEY]` with the promotion
    /// as its JSON body.
    public static func promoteBuild(name: String, number: String, promotion: BuildPromotion, project: String? = nil)
        -> APIRequest
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings, booleans and string arrays cannot fail.
        let body = (try? encoder.encode(promotion)).map(Array.init) ?? Array("{}".utf8)
        return APIRequest(
            method: .post,
            pathAndQuery: "api/build/promote/" + ArtifactoryEncoding.pathSegment(name) + "/"
                + ArtifactoryEncoding.pathSegment(number) + projectQuery(project),
            body: body, contentType: "application/json")
    }

    /// Build Info: `GET api/build/{name}/{number}[?project=KEY]`.
    public static func buildInfo(name: String, number: String, project: String? = nil) -> APIRequest {
        APIRequest(
            method: .get,
            pathAndQuery: "api/build/" + ArtifactoryEncoding.pathSegment(name) + "/"
                + ArtifactoryEncoding.pathSegment(number) + projectQuery(project))
    }

    private static func projectQuery(_ project: String?) -> String {
        guard let project, !project.isEmpty else { return "" }
        return "?project=" + ArtifactoryEncoding.queryValue(project)
    }
}
