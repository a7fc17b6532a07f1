import ArtifactoryEvents
import Foundation

extension ArtifactoryClient {
    // MARK: Properties

    /// Sets `properties` on an item (a file, a folder, or the repository when `path` is empty);
    /// other keys are left as they are. `recursive` applies them to everything below a folder.
    public func setProperties(repo: String, path: String, properties: [String: [String]], recursive: Bool = false)
        async throws(ArtifactoryAPIError)
    {
        _ = try await execute(.setProperties(repo: repo, path: path, properties: properties, recursive: recursive))
    }

    /// Removes the property `keys` from an item.
    public func deleteProperties(repo: String, path: String, keys: [String], recursive: Bool = false)
        async throws(ArtifactoryAPIError)
    {
        _ = try await execute(.deleteProperties(repo: repo, path: path, keys: keys, recursive: recursive))
    }

    /// An item's properties, all of them or only `keys`. Artifactory answers 404 both for a
    /// missing item and for an item without (those) properties.
    public func properties(repo: String, path: String, keys: [String]? = nil) async throws(ArtifactoryAPIError)
        -> ItemProperties
    {
        try await decode(ItemProperties.self, from: .getProperties(repo: repo, path: path, keys: keys))
    }

    // MARK: Builds

    /// Promotes a build run. A `nil` timestamp is filled with now; `project` defaults to the
    /// configured one.
    public func promoteBuild(name: String, number: String, promotion: BuildPromotion, project: String? = nil)
        async throws(ArtifactoryAPIError) -> OperationResult
    {
        var promotion = promotion
        if promotion.timestamp == nil { promotion.timestamp = BuildPromotion.timestamp(for: Date()) }
        return try await decode(
            OperationResult.self,
            from: .promoteBuild(
                name: name, number: number, promotion: promotion, project: project ?? configuration.project))
    }

    /// A build run's build info; `project` defaults to the configured one.
    public func buildInfo(name: String, number: String, project: String? = nil) async throws(ArtifactoryAPIError)
        -> BuildInfo
    {
        let request = APIRequest.buildInfo(name: name, number: number, project: project ?? configuration.project)
        let response = try await execute(request)
        guard let info = BuildInfo(body: response.body) else { throw Self.unreadable(request) }
        return info
    }

    // MARK: Items

    /// Copies a file or folder (with its children).
    public func copy(from source: ItemLocation, to target: ItemLocation, options: CopyMoveOptions = .init())
        async throws(ArtifactoryAPIError) -> OperationResult
    {
        try await decode(OperationResult.self, from: .copy(from: source, to: target, options: options))
    }

    /// Moves a file or folder (with its children).
    public func move(from source: ItemLocation, to target: ItemLocation, options: CopyMoveOptions = .init())
        async throws(ArtifactoryAPIError) -> OperationResult
    {
        try await decode(OperationResult.self, from: .move(from: source, to: target, options: options))
    }

    /// Deletes a file, or a folder with everything in it.
    public func deleteItem(_ item: ItemLocation) async throws(ArtifactoryAPIError) {
        _ = try await execute(.deleteItem(item))
    }

    // MARK: Search and system

    /// Runs an AQL query such as `items.find({"repo":"libs-release-local"})`.
    public func aql(_ query: String) async throws(ArtifactoryAPIError) -> AQLResult {
        let request = APIRequest.aql(query)
        let response = try await execute(request)
        guard let result = AQLResult(body: response.body) else { throw Self.unreadable(request) }
        return result
    }

    /// Checks that Artifactory answers `OK` to System Health Ping.
    public func ping() async throws(ArtifactoryAPIError) {
        let response = try await execute(.ping)
        guard response.text.trimmingCharacters(in: .whitespacesAndNewlines) == "OK" else {
            throw Self.unreadable(.ping)
        }
    }

    /// Artifactory's version, revision and add-ons.
    public func version() async throws(ArtifactoryAPIError) -> ArtifactoryVersion {
        try await decode(ArtifactoryVersion.self, from: .version)
    }

    // MARK: Decoding

    private func decode<Value: Decodable>(_ type: Value.Type, from request: APIRequest)
        async throws(ArtifactoryAPIError) -> Value
    {
        let response = try await execute(request)
        // An empty 2xx body (some versions answer copy and promotion that way) means no messages.
        let body = response.body.isEmpty ? Array("{}".utf8) : response.body
        do {
            return try JSONDecoder().decode(Value.self, from: Data(body))
        } catch {
            throw Self.unreadable(request, underlying: error)
        }
    }

    private static func unreadable(_ request: APIRequest, underlying: (any Error)? = nil) -> ArtifactoryAPIError {
        ArtifactoryAPIError(code: .invalidResponse, request: request.description, underlying: underlying)
    }
}
