import Foundation
public import Logging
import Rules
public import ServiceLifecycle
import UnixSignals
import YAMLDiagnostics

/// Re-reads the rules directory on SIGHUP and when a rule file changes, and swaps the new set in
/// only when every file loads without error; otherwise the previous set stays in force and every
/// problem is logged.
///
/// Changes are found by polling the directory listing (names, sizes, modification times), so
/// editors that save by rename and `git pull` are seen; a change is applied once the directory has
/// been quiet for `debounce`.
public struct RulesReloader: Service {
    let directory: String?
    let rules: ActiveRules
    let pollInterval: Duration
    let debounce: Duration
    let metrics: DaemonMetrics
    let notifier: SystemdNotifier?
    let reloadAlso: [@Sendable () -> String?]
    let logger: Logger
    /// The config's target names: a reload naming another target in an `http:` call fails.
    public var knownTargets: [String]?

    /// - Parameters:
    ///   - directory: the rules directory; without one, SIGHUP is still caught (systemd's reload
    ///     must not stop the daemon) and logged.
    ///   - rules: the holder to update.
    ///   - pollInterval: how often the directory is checked; `.zero` turns watching off (SIGHUP only).
    ///   - debounce: how long the directory must stay unchanged before a reload.
    ///   - notifier: told `RELOADING=1` before and `READY=1` after every reload, failed ones included.
    ///   - reloadAlso: what SIGHUP reads again besides the rules (the TLS certificate), run before
    ///     `READY=1`; each returns a line for the status when it failed.
    ///   - metrics: `rules_loaded` after each reload, `rules_reload_failures_total`.
    public init(
        directory: String?, rules: ActiveRules, pollInterval: Duration, debounce: Duration = .milliseconds(300),
        notifier: SystemdNotifier? = nil, reloadAlso: [@Sendable () -> String?] = [], metrics: DaemonMetrics = .none,
        logger: Logger
    ) {
        self.metrics = metrics
        self.directory = directory
        self.rules = rules
        self.pollInterval = pollInterval
        self.debounce = debounce
        self.notifier = notifier
        self.reloadAlso = reloadAlso
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in signals.cancelOnGracefulShutdown() {
                    reload(reason: .signal)
                }
            }
            if let directory, pollInterval > .zero {
                // Cancelled at graceful shutdown, so a sleeping poll does not hold the stop up.
                group.addTask { await cancelWhenGracefulShutdown { await watch(directory) } }
            }
            await group.waitForAll()
        }
    }

    /// Polls the directory until graceful shutdown, reloading after each settled change.
    private func watch(_ directory: String) async {
        var seen = RulesDirectorySnapshot(directory: directory)
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return
            }
            var current = RulesDirectorySnapshot(directory: directory)
            guard current != seen else { continue }
            // Wait for the writer (an editor, git) to finish.
            while true {
                try? await Task.sleep(for: debounce)
                let settled = RulesDirectorySnapshot(directory: directory)
                if settled == current { break }
                current = settled
            }
            seen = current
            reload(reason: .fileChange)
        }
    }

    /// Loads the directory and swaps the result in, or logs why not; systemd hears `RELOADING=1`
    /// before and `READY=1` after, with a status line that says how it went.
    /// A signal (`systemctl reload`) also runs `reloadAlso`; a changed rule file reloads the rules only.
    func reload(reason: ReloadReason) {
        notifier?.reloading(status: "Reloading (\(reason.rawValue))")
        // What else failed joins the status line, so `systemctl status` shows it beside the rules'.
        let problems = reason == .signal ? reloadAlso.compactMap { $0() } : []
        let status = ([load(reason: reason.rawValue)] + problems).joined(separator: "; ")
        notifier?.ready(status: status)
    }

    /// What asked for a reload; the raw value is what logs and systemd's status line say.
    enum ReloadReason: String {
        /// SIGHUP (`systemctl reload`): rules and everything in `reloadAlso`.
        case signal
        /// A rule file changed: the rules only.
        case fileChange = "change"
    }

    /// Loads the directory and swaps the result in, or logs why not; returns a one-line status.
    private func load(reason: String) -> String {
        guard let directory else {
            logger.info(
                "Reload requested; no rules directory is configured", metadata: ["rules.reason": .string(reason)])
            return "Reload requested; no rules directory is configured"
        }
        do {
            let loaded = try RuleSet.load(directory: directory, knownTargets: knownTargets)
            rules.replace(with: loaded)
            metrics.setRulesLoaded(loaded.enabledCount)
            logger.rulesLoaded(
                loaded,
                ["rules.files": .stringConvertible(loaded.files.count), "rules.reason": .string(reason)])
            return "Rules reloaded: \(loaded.rules.count) rule(s), \(loaded.enabledCount) enabled"
        } catch {
            metrics.reloadFailed()
            logger.error(
                "Rules reload failed; the previous rules stay in force",
                metadata: [
                    "rules.reason": .string(reason), "error.code": .string(error.code.rawValue),
                    "error": .string(error.message), "rules.directory": .string(directory),
                ])
            for diagnostic in error.diagnostics {
                if diagnostic.severity == .error {
                    logger.error("Rule problem", metadata: ["rules.diagnostic": .string(diagnostic.description)])
                } else {
                    logger.warning("Rule warning", metadata: ["rules.diagnostic": .string(diagnostic.description)])
                }
            }
            let problems = error.diagnostics.filter { $0.severity == .error }.map(\.description)
            rules.recordFailedReload(errors: problems.isEmpty ? [error.message] : problems)
            // Warnings do not fail a reload: only the errors are counted.
            let errors = error.diagnostics.count { $0.severity == .error }
            return
                "Rules reload failed (\(max(errors, 1)) error(s)); the previous \(rules.current.rules.count) rule(s) stay in force"
        }
    }
}

/// What the reloader compares to notice a change: the rule files' names, sizes and modification
/// times (nanoseconds).
struct RulesDirectorySnapshot: Equatable {
    private var entries: [String: [Int64]] = [:]

    init(directory: String) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            // The file a link points to (a ConfigMap mount, a checkout linked in): its own size,
            // time and inode change with an edit, the link's do not.
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).resolvingSymlinksInPath().path
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { continue }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes[.modificationDate] as? Date).map { Int64($0.timeIntervalSince1970 * 1e9) } ?? -1
            let inode = (attributes[.systemFileNumber] as? NSNumber)?.int64Value ?? -1
            entries[name] = [size, modified, inode]
        }
    }
}
