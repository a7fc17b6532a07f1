import ArtifactoryEvents
import Foundation
import GRDB
import Rules
import Storage

// The store at scale. `--generate N` writes N signed-looking artifact.deployed events into the
// SQLite file `--db` through the Storage module's own insert (group commit, batches of 2,048,
// synchronous=NORMAL: this is set-up, not the measurement), spread over the last 30 days, each with
// one set_properties job planned by a real rule; all but the newest 100 jobs are marked done.
// `--measure` then times what an operator and the worker do on it: `events list --since 1h` and
// leasing the next jobs. Prints key=value lines (milliseconds).
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: "--\(name)").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
guard let path = option("db") else {
    print("usage: store-bench --db FILE [--generate N] [--measure]")
    exit(2)
}

let rules = try RuleSet.compile([
    RuleSource(
        file: "bench.yml",
        text: """
            rules:
              - name: tag
                on: artifact.deployed
                when: { repo: libs-release-local }
                do:
                  - set_properties: { qa.status: pending, qa.event: "{{ event.id }}" }
            """)
])

func body(_ index: Int) -> [UInt8] {
    let text = """
        {"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local",\
        "path":"com/acme/payments/payments-core/2.4.\(index)/payments-core-2.4.\(index).jar",\
        "name":"payments-core-2.4.\(index).jar","size":\(1_843_307 + index),\
        "sha256":"\(String(repeating: String(index % 10), count: 64))"},"subscription_key":"sub-main",\
        "jpd_origin":"https://artifactory.example.com","source":"jfrog/jfrt@01j9x3k7m2q8r4t6v0w5y1z3ab",\
        "padding":"\(String(repeating: "x", count: 150))"}
        """
    return Array(text.utf8)
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

if let count = option("generate").flatMap(Int.init) {
    let store = try SQLiteEventStore(configuration: .init(path: path, synchronous: .normal, maxBatch: 2048))
    try await store.migrate()
    let now = Date()
    let span = 30.0 * 86_400
    let clock = ContinuousClock()
    let started = clock.now
    // Oldest first, as they would have arrived; 4,096 inserts in flight fill two batches.
    let chunk = 4096
    for base in stride(from: 0, to: count, by: chunk) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in base..<min(base + chunk, count) {
                group.addTask {
                    let bytes = body(index)
                    let event = try WebhookEvent(body: bytes)
                    let receivedAt = now.addingTimeInterval(-span * Double(count - index) / Double(count))
                    let new = NewEvent(
                        receivedAt: receivedAt, endpoint: "main", event: event, body: bytes,
                        sourceAddress: "127.0.0.1")
                    _ = try await store.insert(new, dedupWindow: .seconds(300)) { id, _ in
                        let plan = rules.plan(event, context: PlanContext(eventID: id, now: receivedAt))
                        return EventPlan(
                            jobs: plan.actions.map { action in
                                NewJob(
                                    rule: action.rule, actionIndex: action.actionIndex, kind: action.kind.rawValue,
                                    subject: action.subject,
                                    request: action.storedJSON,
                                    effects: action.effects)
                            })
                    }
                }
            }
            try await group.waitForAll()
        }
    }
    let inserted = clock.now - started
    try await store.close()
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
        try db.execute(
            sql: """
                UPDATE jobs SET state = 'done', attempt_count = 1, finished_at = created_at
                WHERE id <= (SELECT max(id) - 100 FROM jobs);
                -- The daemon's writes keep job_counts; this shortcut counts again instead.
                DELETE FROM job_counts;
                INSERT INTO job_counts (state, n) SELECT state, count(*) FROM jobs GROUP BY state;
                """)
    }
    try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    try queue.close()
    let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print(
        String(
            format: "generated=%d seconds=%.1f events_per_s=%.0f file_bytes=%ld bytes_per_event=%.0f", count,
            milliseconds(inserted) / 1000, Double(count) / (milliseconds(inserted) / 1000), bytes,
            Double(bytes) / Double(count)))
}

if arguments.contains("--measure") {
    let store = try SQLiteEventStore(configuration: .init(path: path))
    try await store.migrate()
    let clock = ContinuousClock()
    var listTimes: [Double] = []
    var listed = 0
    for _ in 0..<7 {
        let started = clock.now
        listed = try await store.events(matching: EventQuery(since: Date().addingTimeInterval(-3600))).count
        listTimes.append(milliseconds(clock.now - started))
    }
    var leaseTimes: [Double] = []
    var leased = 0
    for round in 0..<7 {
        let owner = "bench-\(round)"
        let started = clock.now
        leased = try await store.leaseJobs(
            owner: owner, limit: 8, now: Date(), leaseDuration: .seconds(60), effectWindow: .seconds(60)
        ).count
        leaseTimes.append(milliseconds(clock.now - started))
        _ = try await store.releaseLeases(owner: owner)
    }
    try await store.close()
    listTimes.sort()
    leaseTimes.sort()
    print(
        String(
            format: "events_list_since_1h_ms=%.2f listed=%d lease_ms=%.2f leased=%d", listTimes[3], listed,
            leaseTimes[3], leased))
}
