public import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Logging
public import Rules

/// `rules test --resolve`: runs an expansion job's query read-only (the same count and pages as
/// ``ExpansionRunner``, and nothing else) and lists the child requests it would send, each with
/// its guard's answer now (read-only lookups) when it has one.
public enum FanOutPreview {
    /// What an expansion would do now.
    public enum Resolution: Sendable {
        /// The query finds more than `maxItems`: the expansion would be a dead letter.
        case tooMany(found: Int, maxItems: Int)
        /// The children it would plan, and the items it could not plan (`REPO/PATH: reason`).
        case children([PlannedAction], unplanned: [String])
    }

    /// Resolves `expansion` (a planned action with an ``PlannedAction/Expansion``) against
    /// `client`; `defaultMaxItems` stands for `worker.max_fanout_items`.
    public static func resolve(
        _ expansion: PlannedAction, client: ArtifactoryClient, defaultMaxItems: Int, pageSize: Int = 500
    ) async throws(ArtifactoryAPIError) -> Resolution {
        guard let planner = ChildPlanner(expansion), let query = try? AQLText(expansion.request.body ?? "") else {
            return .children([], unplanned: ["the action is not an expansion"])
        }
        let maxItems = expansion.expansion?.maxItems ?? defaultMaxItems
        let cap = ExpansionRunner.countCap(maxItems: maxItems)
        let counted = try await search(
            query.page(start: 0, count: cap, fields: FoundItem.includedFields) ?? query.find, client: client
        ).count
        if counted > maxItems { return .tooMany(found: counted, maxItems: maxItems) }
        var children: [PlannedAction] = []
        var unplanned: [String] = []
        var offset = 0
        while offset < maxItems,
            let text = query.page(
                start: offset, count: min(pageSize, maxItems - offset),
                fields: ExpansionRunner.pageFields)
        {
            let items = try await search(text, client: client)
            for item in items {
                do {
                    children += try planner.children(for: item).map(\.action)
                } catch {
                    unplanned.append("\(item.repo)/\(item.path): \(error.message)")
                }
            }
            offset += items.count
            if items.count < pageSize { break }
        }
        return .children(children, unplanned: unplanned)
    }

    static func search(_ text: String, client: ArtifactoryClient) async throws(ArtifactoryAPIError) -> [FoundItem] {
        let response = try await client.execute(.aql(text))
        guard let results = (try? JSONParser.parse(response.body))?["results"], case .array(let list) = results else {
            throw ArtifactoryAPIError(
                code: .invalidResponse, status: response.status, messages: ["the AQL answer has no results list"],
                request: "POST api/search/aql")
        }
        return list.compactMap(FoundItem.init(aqlResult:))
    }

    /// The `resolved` section of `rules test --resolve` for `plan`'s expansions, run against the
    /// config's Artifactory; `failed` when a query failed. Empty text when the plan has none.
    public static func report(
        _ plan: Plan, artifactory: DaemonConfig.Artifactory, defaultMaxItems: Int, baseURL: String
    ) async throws -> (text: String, failed: Bool) {
        let expansions = plan.actions.filter { $0.expansion != nil }
        guard !expansions.isEmpty else { return ("", false) }
        let client = try ArtifactoryClient(
            configuration: artifactory.clientConfiguration, logger: Logger(label: "artifactory-hooks.rules-test"))
        var lines = ["resolved (queries run read-only; nothing else sent):"]
        var failed = false
        for action in expansions {
            let title = "\(action.rule) do[\(action.actionIndex)]"
            do {
                switch try await resolve(action, client: client, defaultMaxItems: defaultMaxItems) {
                case .tooMany(let found, let maxItems):
                    lines.append(
                        "  \(title): the query found \(found) items, more than max_items (\(maxItems)); "
                            + "the expansion would be dead and send nothing")
                case .children(let children, let unplanned):
                    lines.append("  \(title): \(children.count) requests")
                    for child in children {
                        let url = ControlEscaping.escaped(child.request.url(baseURL: baseURL))
                        lines.append("     \(child.request.method) \(url)")
                        if let requirement = child.requirement {
                            do {
                                let reason = try await GuardPreview.answer(requirement, client: client)
                                lines.append(
                                    reason.map {
                                        "       guard does not hold now; would be skipped: "
                                            + ControlEscaping.escaped($0)
                                    }
                                        ?? "       guard holds now")
                            } catch {
                                failed = true
                                lines.append("       guard lookup failed: \(error.description)")
                            }
                        }
                    }
                    for problem in unplanned { lines.append("     not planned: " + ControlEscaping.escaped(problem)) }
                }
            } catch {
                failed = true
                lines.append("  \(title): the query failed: \(error.description)")
            }
        }
        try? await client.shutdown()
        return (lines.joined(separator: "\n") + "\n", failed)
    }
}
