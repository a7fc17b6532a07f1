public import Foundation
import Synchronization

/// The simulator's repositories, items, builds, request log and pending faults, shared between
/// the server and the test that drives it.
///
/// Every method takes one lock, so what a test sets up or reads is consistent with what the
/// server answers.
public final class SimulatorState: Sendable {
    private let storage = Mutex(SimulatorStorage())

    public init(repositories: [String] = []) {
        for key in repositories { addRepository(key) }
    }

    // MARK: Set-up

    /// Creates an empty local repository (nothing happens when it exists).
    public func addRepository(_ key: String) {
        storage.withLock { $0.addRepository(key, now: Date()) }
    }

    /// Stores a file (and its parent folders) with properties; replaces a file at the same path.
    /// Its checksums are those of `content`, or without content stand-ins derived from
    /// `REPO/PATH`, so distinct files differ; `created` (default: now) also sets `modified`.
    public func addFile(
        repo: String, path: String, properties: [String: [String]] = [:], size: Int = 0, content: [UInt8]? = nil,
        created: Date? = nil
    ) throws(SimulatorError) {
        try storage.withLock { storage throws(SimulatorError) in
            try storage.putFile(
                repo: repo, path: path, size: content?.count ?? size, properties: properties, now: Date(),
                content: content, created: created)
        }
    }

    /// Creates a folder and the folders above it.
    public func addFolder(repo: String, path: String) throws(SimulatorError) {
        try storage.withLock { storage throws(SimulatorError) in
            try storage.addFolders(repo: repo, path: path, now: Date())
        }
    }

    /// Stores a build run whose artifacts are files in `repo` at the paths `artifacts`; see
    /// ``addBuild(name:number:project:started:files:)``.
    public func addBuild(
        name: String, number: String, project: String? = nil, started: Date = Date(), repo: String? = nil,
        artifacts: [String] = []
    ) throws(SimulatorError) {
        try addBuild(
            name: name, number: number, project: project, started: started,
            files: repo.map { repo in artifacts.map { (repo, $0) } } ?? [])
    }

    /// Stores a build run (under `project`, when given) whose one module lists `files` as its
    /// artifacts with their checksums, as a CI tool uploads it: AQL's build relation
    /// (`artifact.module.build.name`, …) then finds those files, by checksum as Artifactory links
    /// them. Missing files are created (their repositories too); every file gets the
    /// `build.name` and `build.number` properties, which promotion goes by.
    public func addBuild(
        name: String, number: String, project: String? = nil, started: Date = Date(),
        files: [(repo: String, path: String)]
    ) throws(SimulatorError) {
        try storage.withLock { storage throws(SimulatorError) in
            var artifacts: [[String: Any]] = []
            for (repo, path) in files {
                storage.addRepository(repo, now: Date())
                let size = storage.repositories[repo]?[path]?.size ?? 0
                try storage.putFile(
                    repo: repo, path: path, size: size, properties: ["build.name": [name], "build.number": [number]],
                    now: Date())
                guard let file = storage.repositories[repo]?[path] else { continue }
                artifacts.append([
                    "type": (file.name.split(separator: ".").last).map(String.init) ?? "", "name": file.name,
                    "sha1": file.sha1, "sha256": file.sha256, "md5": file.md5, "path": path,
                ])
            }
            let info: [String: Any] = [
                "version": "1.0.1", "name": name, "number": number, "type": "GENERIC",
                "started": SimulatorStorage.timestamp(started),
                "modules": artifacts.isEmpty ? [] : [["id": "\(name):\(number)", "artifacts": artifacts]],
            ]
            try storage.putBuild(info, project: project)
        }
    }

    /// Records a promotion of a stored build run to `status` (as Build Promotion would, without
    /// moving anything), so Build Info's `statuses` ends with it, as a CI tool's promotion leaves it.
    /// Throws 404 when the run is not stored.
    public func recordPromotion(
        name: String, number: String, project: String? = nil, status: String, user: String = "ci"
    ) throws(SimulatorError) {
        try storage.withLock { storage throws(SimulatorError) in
            let key = SimulatorStorage.BuildKey(name: name, number: number, project: project ?? "")
            guard storage.builds[key] != nil else { throw .notFound("No build was found for build name: \(name)") }
            storage.builds[key]?.statuses.append(
                SimulatedBuild.Status(
                    status: status, comment: nil, repository: nil, timestamp: SimulatorStorage.timestamp(Date()),
                    user: user, ciUser: nil))
        }
    }

    // MARK: Inspection

    /// The item at `repo`/`path` (`""` for the root), if it exists.
    public func item(repo: String, path: String) -> SimulatedItem? {
        storage.withLock { $0.repositories[repo]?[path] }
    }

    /// Every item of `repo`, root first, then by path.
    public func items(repo: String) -> [SimulatedItem] {
        storage.withLock { storage in
            (storage.repositories[repo]?.values.map { $0 } ?? []).sorted { $0.path < $1.path }
        }
    }

    /// The repository keys, sorted.
    public var repositoryKeys: [String] {
        storage.withLock { $0.repositories.keys.sorted() }
    }

    /// The build run, if stored.
    public func build(name: String, number: String, project: String? = nil) -> SimulatedBuild? {
        storage.withLock { try? $0.build(name: name, number: number, project: project) }
    }

    /// Every request received so far, oldest first.
    public var requests: [RecordedRequest] {
        storage.withLock { $0.requests }
    }

    /// The Release Bundle v2 distributions asked for so far, oldest first.
    public var distributions: [SimulatedDistribution] {
        storage.withLock { $0.distributions }
    }

    /// Forgets the requests received so far.
    public func clearRequests() {
        storage.withLock { $0.requests.removeAll() }
    }

    // MARK: Faults

    /// Makes the next `times` requests fail with `fault`, after any faults already pending.
    public func injectFault(_ fault: Fault, times: Int = 1) {
        guard times > 0 else { return }
        storage.withLock { $0.faults.append((fault, times)) }
    }

    /// How many requests still get a fault.
    public var pendingFaults: Int {
        storage.withLock { storage in storage.faults.reduce(0) { $0 + $1.remaining } }
    }

    /// Drops every pending fault.
    public func clearFaults() {
        storage.withLock { $0.faults.removeAll() }
    }

    // MARK: Server side

    /// Runs `body` under the lock.
    func withStorage<Result: Sendable, Failure: Error>(
        _ body: (inout SimulatorStorage) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try storage.withLock { storage throws(Failure) in try body(&storage) }
    }
}
