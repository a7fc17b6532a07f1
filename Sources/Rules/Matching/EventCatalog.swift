import ArtifactoryEvents

/// What `rules check` knows about the events Artifactory sends: the event types of each domain
/// and the members of `data` each kind carries (from JFrog's event pages; see fixtures/events).
///
/// Only checks use it. Kinds it does not list are accepted with a warning and treated as open:
/// any field may be present, so a newer Artifactory's events can still be matched.
package enum EventCatalog {
    private static let item = ["repo_key", "path", "name", "sha256", "size"]
    private static let bundle = ["release_bundle_name", "release_bundle_version"]
    private static let bundleV2 = ["repository_key", "release_bundle_name", "release_bundle_version", "created"]
    private static let remoteBundle = bundle + ["status_message"]
    private static let distribution =
        bundle + ["release_bundle_size", "status_message", "transaction_id", "edge_node_info_list"]

    /// The known event types of each domain with the `data` members they carry.
    static let kinds: [EventDomain: [String: Set<String>]] = [
        .artifact: [
            "deployed": Set(item), "deleted": Set(item), "cached": Set(item),
            "moved": Set(item + ["source_repo_path", "target_repo_path"]),
            "copied": Set(item + ["source_repo_path", "target_repo_path"]),
        ],
        .artifactProperty: fill(["added", "deleted"], item + ["property_key", "property_values"]),
        .docker: fill(["pushed", "deleted", "promoted"], item + ["image_name", "tag", "platforms"]),
        .build: fill(
            ["uploaded", "deleted", "promoted"], ["build_name", "build_number", "build_started", "build_repo"]),
        .releaseBundle: fill(["created", "signed", "deleted"], bundle + ["release_bundle_size"]),
        .releaseBundleV2: fill(
            ["release_bundle_v2_started", "release_bundle_v2_failed", "release_bundle_v2_completed"], bundleV2),
        .releaseBundleV2Promotion: fill(
            [
                "release_bundle_v2_promotion_started", "release_bundle_v2_promotion_completed",
                "release_bundle_v2_promotion_failed",
            ], bundleV2 + ["environment", "created_millis"]),
        .distribution: fill(
            [
                "distribute_started", "distribute_completed", "distribute_aborted", "distribute_failed",
                "delete_started", "delete_completed", "delete_failed",
            ], distribution),
        .destination: fill(["received", "delete_started", "delete_completed", "delete_failed"], remoteBundle),
        .artifactoryReleaseBundle: fill(
            ["received", "delete_started", "delete_completed", "delete_failed"], remoteBundle),
        .artifactLifecycle: fill(["archive", "restore"], item),
        .user: fill(["locked"], ["user_name"]),
        .appTrust: fill(
            ["entry_gate_evaluation", "entry_gate_validation", "entry_gate_failure", "exit_gate_evaluation"],
            ["application_key", "application_version", "stage"]),
    ]

    private static func fill(_ types: [String], _ fields: [String]) -> [String: Set<String>] {
        Dictionary(uniqueKeysWithValues: types.map { ($0, Set(fields)) })
    }

    /// Every known kind as `domain.event_type`, sorted, for did-you-mean.
    static let kindNames: [String] = kinds.flatMap { domain, types in
        types.keys.map { "\(domain.rawValue).\($0)" }
    }.sorted()

    /// The `data` members of a known kind; `nil` for a kind the catalog does not know.
    static func dataFields(of kind: EventKind) -> Set<String>? {
        kinds[kind.domain]?[kind.eventType]
    }

    /// The known kinds of a domain, sorted by event type; empty for an unknown domain.
    package static func kinds(of domain: EventDomain) -> [EventKind] {
        (kinds[domain] ?? [:]).keys.sorted().map { EventKind(domain: domain, eventType: $0) }
    }
}
