import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Testing

/// Typed calls over the one request vocabulary, for the tests that drive the simulator through the
/// client: the daemon itself only sends planned requests with `execute(_:)`.
extension ArtifactoryClient {
    // MARK: Properties

    /// Sets `properties` (keys in sorted order) on an item; other keys are left as they are.
    func setProperties(repo: String, path: String, properties: [String: [String]], recursive: Bool = false)
        async throws -> Void
    {
        let request = ArtifactoryRequest.setProperties(
            on: try ItemLocation(repo: repo, path: path), recursive: recursive
        ) {
            writer in
            for key in properties.keys.sorted() {
                writer.key(key)
                for value in properties[key, default: []] { writer.value(value) }
            }
        }
        _ = try await execute(request)
    }

    /// Removes the property `keys` from an item.
    func deleteProperties(repo: String, path: String, keys: [String], recursive: Bool = false) async throws {
        _ = try await execute(
            .deleteProperties(on: try ItemLocation(repo: repo, path: path), keys: keys, recursive: recursive))
    }

    /// Get Item Properties: `GET api/storage/{repo}/{path}?properties[=k1,k2]`. Artifactory answers
    /// 404 both for a missing item and for an item without (those) properties.
    func properties(repo: String, path: String, keys: [String]? = nil) async throws -> ItemProperties {
        var query = "?properties"
        if let keys, !keys.isEmpty { query += "=" + keys.map(URLEncoding.propertyText).joined(separator: ",") }
        let item = try ItemLocation(repo: repo, path: path)
        return try await decode(
            ItemProperties.self,
            from: ArtifactoryRequest(method: .get, pathAndQuery: "api/storage/" + item.encoded + query))
    }

    // MARK: Builds

    /// Promotes a build run. A `nil` timestamp is filled with now; `project` defaults to the
    /// configured one.
    func promoteBuild(name: String, number: String, promotion: BuildPromotion, project: String? = nil)
        async throws -> OperationResult
    {
        var promotion = promotion
        if promotion.timestamp == nil { promotion.timestamp = BuildPromotion.timestamp(for: Date()) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = String(decoding: try encoder.encode(promotion), as: UTF8.self)
        return try await decode(
            OperationResult.self,
            from: .promoteBuild(
                name: try PathSegment(name), number: try PathSegment(number),
                project: project ?? configuration.project, body: body))
    }

    /// A build run's build info; `project` defaults to the configured one.
    func buildInfo(name: String, number: String, project: String? = nil) async throws -> BuildInfo {
        let response = try await execute(
            .buildInfo(
                name: try PathSegment(name), number: try PathSegment(number),
                project: project ?? configuration.project))
        return try #require(BuildInfo(body: response.body))
    }

    // MARK: Items

    /// Copies a file or folder (with its children).
    func copy(from source: ItemLocation, to target: ItemLocation, options: TransferOptions = .init())
        async throws -> OperationResult
    {
        try await decode(OperationResult.self, from: .copy(source, to: target, options: options))
    }

    /// Moves a file or folder (with its children).
    func move(from source: ItemLocation, to target: ItemLocation, options: TransferOptions = .init())
        async throws -> OperationResult
    {
        try await decode(OperationResult.self, from: .move(source, to: target, options: options))
    }

    /// Deletes a file, or a folder with everything in it.
    func deleteItem(_ item: ItemLocation) async throws {
        _ = try await execute(.delete(item))
    }

    // MARK: Search and system

    /// Runs an AQL query such as `items.find({"repo":"libs-release-local"})`.
    func aql(_ query: String) async throws -> AQLResult {
        try #require(AQLResult(body: try await execute(.aql(query)).body))
    }

    /// Checks that Artifactory answers `OK` to System Health Ping.
    func ping() async throws {
        let response = try await execute(.ping)
        try #require(response.text.trimmingCharacters(in: .whitespacesAndNewlines) == "OK")
    }

    /// Artifactory's version, revision and add-ons.
    func version() async throws -> ArtifactoryVersion {
        try await decode(ArtifactoryVersion.self, from: .version)
    }

    private func decode<Value: Decodable>(_ type: Value.Type, from request: ArtifactoryRequest) async throws -> Value {
        let response = try await execute(request)
        // An empty 2xx body (some versions answer copy and promotion that way) means no messages.
        let body = response.body.isEmpty ? Array("{}".utf8) : response.body
        return try JSONDecoder().decode(Value.self, from: Data(body))
    }
}
