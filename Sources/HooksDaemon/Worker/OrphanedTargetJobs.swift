import Logging
import Storage

/// Warns at start about unfinished jobs of outbound targets the config no longer names: no worker
/// leases them, so they wait until the target is back or someone cancels them. A store that cannot
/// be read here is left to the checks that follow; this is advice, not a start condition.
func warnAboutOrphanedTargetJobs(
    _ config: DaemonConfig, store: any EventStore, logger: Logger
) async {
    let configured = Set(config.targets.map(\.name))
    let counts: [String: Int]
    do {
        counts = try await store.unfinishedJobsByTarget()
    } catch {
        logger.debug("Could not count the targets' unfinished jobs", metadata: ["error": "\(error)"])
        return
    }
    for (target, count) in counts.sorted(by: { $0.key < $1.key }) where !configured.contains(target) {
        logger.warning(
            "Jobs wait for a target the config no longer has; add the target back to send them, or cancel them",
            metadata: [
                "target": "\(target)", "jobs": "\(count)",
                "see": "artifactory-hooks jobs list --state pending; jobs cancel ID",
            ])
    }
}
