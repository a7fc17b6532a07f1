import Foundation

/// Everything the simulator holds, as one value mutated under ``SimulatorState``'s lock; the
/// Artifactory semantics live in its extensions.
struct SimulatorStorage: Sendable {
    /// Repository key → item path → item; the root item has path `""`.
    var repositories: [String: [String: SimulatedItem]] = [:]
    /// Builds by ``BuildKey``.
    var builds: [BuildKey: SimulatedBuild] = [:]
    /// Every request received, oldest first.
    var requests: [RecordedRequest] = []
    /// Faults still to inject, in order, each with how many requests it still applies to.
    var faults: [(fault: Fault, remaining: Int)] = []
    /// Release Bundle v2 distributions asked for, oldest first.
    var distributions: [SimulatedDistribution] = []
    /// The Event API's webhook subscriptions, oldest first.
    var subscriptions: [SimulatedSubscription] = []
    /// The webhook troubleshooting store's records, oldest first (at most 10,000).
    var troubleshooting: [SimulatedDeliveryRecord] = []
    /// Whether the troubleshooting stream answers.
    var troubleshootingStore: SimulatorState.TroubleshootingStore = .available
    /// Webhooks caused by changes and not yet taken by the dispatcher, oldest first.
    var webhookOutbox: [SimulatedWebhookDelivery] = []
    /// Webhooks the dispatcher has taken and not yet finished.
    var webhooksInFlight = 0
    /// What became of each webhook sent, oldest first.
    var sentWebhooks: [SentWebhook] = []
    /// The last event id handed out.
    var nextWebhookEventID = 0
    /// Wakes the running dispatcher, if one runs.
    var webhookWakeUp: (@Sendable () -> Void)?
    /// `scheme://host:port` of the running server: the events' `jpd_origin`.
    var origin = "http://127.0.0.1"

    /// A build run's identity: name, number and project (`""` for the default one).
    struct BuildKey: Hashable, Sendable {
        var name: String
        var number: String
        var project: String
    }

    // MARK: Repositories and items

    mutating func addRepository(_ key: String, now: Date) {
        if repositories[key] == nil {
            repositories[key] = ["": SimulatedItem(repo: key, path: "", isFolder: true, created: now)]
        }
    }

    /// The item at `repo`/`path`, or the documented 404.
    func item(_ repo: String, _ path: String) throws(SimulatorError) -> SimulatedItem {
        guard let items = repositories[repo] else { throw .missingRepository(repo) }
        guard let item = items[path] else { throw .itemNotFound }
        return item
    }

    /// Stores a file, creating its parent folders. Its checksums are those of `content` (a stand-in
    /// when `nil`, see ``SimulatedItem/init(repo:path:isFolder:properties:size:created:content:)``);
    /// `created` defaults to `now` for a new file.
    mutating func putFile(
        repo: String, path: String, size: Int, properties: [String: [String]], now: Date, content: [UInt8]? = nil,
        created: Date? = nil
    ) throws(SimulatorError) {
        guard repositories[repo] != nil else { throw .missingRepository(repo) }
        guard !path.isEmpty else { throw .badRequest("A file needs a path inside the repository") }
        if repositories[repo]?[path]?.isFolder == true { throw .badRequest("\(repo)/\(path) is a folder") }
        try addFolders(repo: repo, path: Self.parent(of: path), now: now)
        var file =
            repositories[repo]?[path]
            ?? SimulatedItem(repo: repo, path: path, isFolder: false, created: created ?? now, content: content)
        if let content { file.setContent(content) }
        if let created { file.created = created }
        file.size = size
        file.properties.merge(properties) { _, new in new }
        file.modified = created ?? now
        repositories[repo]?[path] = file
    }

    /// Creates `path` and every folder above it that is missing.
    mutating func addFolders(repo: String, path: String, now: Date) throws(SimulatorError) {
        guard repositories[repo] != nil else { throw .missingRepository(repo) }
        var current = ""
        for segment in path.split(separator: "/") {
            current = current.isEmpty ? String(segment) : current + "/" + segment
            if let existing = repositories[repo]?[current] {
                guard existing.isFolder else { throw .badRequest("\(repo)/\(current) is a file, not a folder") }
            } else {
                repositories[repo]?[current] = SimulatedItem(repo: repo, path: current, isFolder: true, created: now)
            }
        }
    }

    /// The paths of `path` and, when it is a folder, everything below it; sorted, parents first.
    func subtree(repo: String, path: String) -> [String] {
        guard let items = repositories[repo] else { return [] }
        let prefix = path.isEmpty ? "" : path + "/"
        return items.keys.filter { $0 == path || (path.isEmpty ? !$0.isEmpty : $0.hasPrefix(prefix)) }.sorted()
    }

    /// `folder/name`, or `name` at the top.
    static func join(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : name.isEmpty ? folder : folder + "/" + name
    }

    /// The folder holding `path` (`""` at the top).
    static func parent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    // MARK: Faults

    /// The fault for the next request, if one is pending.
    mutating func takeFault() -> Fault? {
        guard !faults.isEmpty else { return nil }
        let fault = faults[0].fault
        faults[0].remaining -= 1
        if faults[0].remaining <= 0 { faults.removeFirst() }
        return fault
    }
}
