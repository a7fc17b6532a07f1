import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Rules

/// Fetches what a guard names, once per attempt, through the request vocabulary: File/Folder Info
/// for `item.exists` and `item.size`, Item Properties for `item.properties.*`, Build Info for
/// `build.status`. A 404 is an answer (no item, no properties, no build run); any other failure is
/// thrown for the worker to retry or give up on as it does a failed call.
enum GuardLookup {
    static func facts(for requirement: ActionGuard, with client: ArtifactoryClient)
        async throws(ArtifactoryAPIError) -> GuardFacts
    {
        var facts = GuardFacts()
        if let item = requirement.item {
            if requirement.needsItemInfo {
                if let info = try await object(.storageInfo(encodedItem: item.encoded), client) {
                    facts.exists = true
                    // File Info gives the size as a string of digits; Folder Info gives none.
                    facts.size = info["size"]?.int64Value
                } else {
                    facts.exists = false
                }
            }
            if requirement.needsProperties, let answer = try await object(.itemProperties(item), client),
                let properties = answer["properties"]?.objectValue
            {
                for (key, value) in properties {
                    guard case .array(let values) = value else { continue }
                    facts.properties[key] = values.compactMap(\.scalarText)
                }
            }
        }
        if let build = requirement.build, requirement.needsBuildInfo,
            let answer = try await object(.buildInfo(name: build.name, number: build.number, project: nil), client),
            case .array(let statuses)? = answer["buildInfo"]?["statuses"]
        {
            // Build Info lists the promotions oldest first: the last is the run's status now.
            facts.buildStatus = statuses.last?["status"]?.stringValue
        }
        return facts
    }

    /// The JSON object Artifactory answered, `nil` for a 404.
    private static func object(_ request: ArtifactoryRequest, _ client: ArtifactoryClient)
        async throws(ArtifactoryAPIError) -> JSONValue?
    {
        let response: APIResponse
        do {
            response = try await client.execute(request)
        } catch  where error.status == 404 {
            return nil
        }
        return (try? JSONParser.parse(response.body)) ?? .object([:])
    }
}
