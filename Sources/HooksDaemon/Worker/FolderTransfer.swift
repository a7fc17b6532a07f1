import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests

/// Copy and move made repeatable for folders.
///
/// Artifactory copies and moves like a file system: when the target is a folder that exists, the
/// source goes *inside* it. Copying `docker-local/acme/app/1.8.0` to `docker-prod-local/acme/app/1.8.0`
/// a second time (the same tag pushed again, `events replay`, a call repeated after a lost answer)
/// would make `…/1.8.0/1.8.0`. JFrog's advice is to copy into the folder one level up; that is
/// only right once the target exists, since into a folder that does not exist the source is copied
/// *as* it (renamed).
///
/// So before a copy or move whose target ends in the source's own name, the worker asks whether
/// the target is a folder that exists; when it is, the call goes to the folder one level up, which
/// puts the source at the same place again, merged with what is there (files replaced).
enum FolderTransfer {
    /// The parts of a planned `api/copy/…` or `api/move/…` call whose target ends in the source's
    /// name: the target (encoded, without its leading `/`) and the request with `to=` one folder
    /// up. `nil` for any other call.
    struct Candidate: Equatable {
        /// The target as a repository path, percent-encoded as planned: `docker-prod-local/acme/app/1.8.0`.
        var target: String
        /// The same call with its target one folder up.
        var intoParent: String
    }

    /// The candidate in `pathAndQuery`, if it is one.
    static func candidate(_ pathAndQuery: String) -> Candidate? {
        let relative = pathAndQuery.hasPrefix("/") ? String(pathAndQuery.dropFirst()) : pathAndQuery
        guard relative.hasPrefix("api/copy/") || relative.hasPrefix("api/move/"),
            let question = relative.firstIndex(of: "?")
        else { return nil }
        // "api/copy/" and "api/move/" are as long as each other.
        let source = relative[relative.index(relative.startIndex, offsetBy: "api/copy/".count)..<question]
        var parameters = relative[relative.index(after: question)...].split(
            separator: "&", omittingEmptySubsequences: false)
        guard let toIndex = parameters.firstIndex(where: { $0.hasPrefix("to=/") }) else { return nil }
        let target = parameters[toIndex].dropFirst("to=/".count)
        // The repository alone has no folder above it; a target of another name is a rename.
        guard let slash = target.lastIndex(of: "/"), let sourceName = source.split(separator: "/").last,
            target[target.index(after: slash)...] == sourceName
        else { return nil }
        parameters[toIndex] = "to=/" + target[..<slash]
        let intoParent = relative[...question] + parameters.joined(separator: "&")
        return Candidate(target: String(target), intoParent: String(intoParent))
    }

    /// `request`, sent to the folder above its target when the target is a folder that exists.
    /// Throws what Artifactory answered to the question when it was not an answer (a 404 is one:
    /// nothing is there yet).
    static func resolved(_ request: ArtifactoryRequest, with client: ArtifactoryClient)
        async throws(ArtifactoryAPIError) -> ArtifactoryRequest
    {
        // Copy and move are Artifactory calls; a platform request is never one.
        guard request.base == .artifactory, let candidate = candidate(request.pathAndQuery) else { return request }
        let info: APIResponse
        do {
            info = try await client.execute(.storageInfo(encodedItem: candidate.target))
        } catch  where error.status == 404 {
            return request
        }
        // Folder Info lists `children`; File Info does not.
        guard (try? JSONParser.parse(info.body))?["children"] != nil else { return request }
        var intoParent = request
        intoParent.pathAndQuery = candidate.intoParent
        return intoParent
    }
}
