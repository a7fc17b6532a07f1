import ArtifactoryEvents
public import CoreMetrics
import Metrics
import Storage

/// Every metric the daemon reports, made through one swift-metrics factory so that each
/// application (and each test) can own its registry.
///
/// Label values are bounded: a known event domain or `other`, a configured endpoint name or
/// `unknown`, a fixed set of outcomes and reasons, job states, HTTP status classes and the names of
/// the rules the operator wrote. Nothing a sender chooses freely (a path, an endpoint name that is not configured, an id) becomes a label.
/// `docs/operations.md` lists every metric.
public struct DaemonMetrics: Sendable {
    let factory: any MetricsFactory
    let endpoints: Set<String>

    /// - Parameters:
    ///   - factory: where the metrics go (a `PrometheusMetricsFactory` over the app's registry).
    ///   - endpoints: the configured endpoint names; any other name is reported as `unknown`.
    public init(factory: any MetricsFactory, endpoints: [String] = []) {
        self.factory = factory
        self.endpoints = Set(endpoints)
        // Series that alerts compare against exist from the start, at zero.
        deadLetters.increment(by: 0)
        reloadFailures.increment(by: 0)
        Counter(label: Self.prefix + "events_deferred_total", factory: factory).increment(by: 0)
        setBackpressure(active: false, deferredEvents: 0)
        setIngestBuffered(bytes: 0)
        Counter(label: Self.prefix + "ingest_budget_refusals_total", factory: factory).increment(by: 0)
        for state in StoredJob.State.allCases { jobGauge(state).set(0) }
    }

    /// Metrics that go nowhere (components built without an application, in tests).
    public static let none = DaemonMetrics(factory: NOOPMetricsHandler.instance)

    /// The prefix of every metric name.
    static let prefix = "artifactory_hooks_"

    /// Rejection reasons reported as they are; any other error code becomes `other`.
    static let rejectionReasons: Set<String> = [
        "unknown_endpoint", "method_not_allowed", "unsupported_media_type", "body_too_large", "body_timeout",
        "unauthorized",
        "not_json", "not_an_object", "missing_event_type", "nul_character", "store_unavailable", "forbidden_source",
        "store_full", "rate_limited", "over_budget",
    ]

    // MARK: Ingest

    /// How a delivery ended.
    public enum Outcome: String, Sendable {
        case accepted
        case duplicate
        /// Stored, but the endpoint's `accept:` did not take it: never planned.
        case ignored
        case rejected
    }

    /// Counts one delivery: `events_received_total{endpoint, domain, outcome, reason}`.
    ///
    /// - Parameters:
    ///   - domain: the decoded event's domain, or `nil` when it was refused before decoding.
    ///   - reason: the refusal's error code (`unauthorized`, `not_json`, …) for `rejected`.
    public func eventReceived(endpoint: String, domain: EventDomain?, outcome: Outcome, reason: String? = nil) {
        let domainLabel: String
        switch domain {
        case .none: domainLabel = "none"
        case .unknown: domainLabel = "other"
        case .some(let known): domainLabel = known.rawValue
        }
        let reasonLabel = reason.map { Self.rejectionReasons.contains($0) ? $0 : "other" } ?? "none"
        Counter(
            label: Self.prefix + "events_received_total",
            dimensions: [
                ("endpoint", endpoints.contains(endpoint) ? endpoint : "unknown"), ("domain", domainLabel),
                ("outcome", outcome.rawValue), ("reason", reasonLabel),
            ],
            factory: factory
        ).increment()
    }

    /// Records how long one delivery took, from the first byte read to the answer.
    public func ingestDuration(_ duration: Duration) {
        CoreMetrics.Timer(label: Self.prefix + "ingest_duration_seconds", factory: factory).record(duration: duration)
    }

    /// Sets `ingest_buffered_bytes`: the bytes of bodies held by deliveries in progress.
    public func setIngestBuffered(bytes: Int) {
        Meter(label: Self.prefix + "ingest_buffered_bytes", factory: factory).set(bytes)
    }

    /// Counts one delivery refused because its body did not fit in `ingest.max_buffered_bytes`.
    public func ingestBudgetRefused() {
        Counter(label: Self.prefix + "ingest_budget_refusals_total", factory: factory).increment()
    }

    /// Records how long the store took to commit one event and its plan.
    public func storeCommitDuration(_ duration: Duration) {
        CoreMetrics.Timer(label: Self.prefix + "store_commit_duration_seconds", factory: factory).record(
            duration: duration)
    }

    /// Counts rules the loop guard kept from acting on a self-caused event (`self_caused`), or an
    /// event stopped at the hop limit (`hop_limit`).
    public func loopGuardSuppressed(reason: String, count: Int = 1) {
        Counter(
            label: Self.prefix + "loop_guard_suppressions_total", dimensions: [("reason", reason)], factory: factory
        ).increment(by: count)
    }

    /// Counts one rule action that could not be planned: `plan_failures_total{code}`, `code` one
    /// of the rules' failure codes (`missing_field`, `not_a_value`, `bad_path`, …).
    public func planFailure(code: String) {
        Counter(label: Self.prefix + "plan_failures_total", dimensions: [("code", code)], factory: factory)
            .increment()
    }

    /// Counts jobs recorded for a rule in shadow mode (planned, never sent):
    /// `shadow_jobs_total{rule}`. Rule names come from the rule files, a set the operator keeps.
    public func shadowJobsRecorded(rule: String, count: Int = 1) {
        Counter(label: Self.prefix + "shadow_jobs_total", dimensions: [("rule", rule)], factory: factory)
            .increment(by: count)
    }

    /// Counts actions the store held back because their throttle window (`once_within:`) was
    /// open: `throttled_actions_total{rule}`. Rule names come from the rule files.
    public func actionsThrottled(rule: String, count: Int = 1) {
        Counter(label: Self.prefix + "throttled_actions_total", dimensions: [("rule", rule)], factory: factory)
            .increment(by: count)
    }

    /// Counts jobs finished as skipped because their guard (`require:`) did not hold:
    /// `skipped_jobs_total{rule}`. Rule names come from the rule files, a set the operator keeps.
    public func jobSkipped(rule: String) {
        Counter(label: Self.prefix + "skipped_jobs_total", dimensions: [("rule", rule)], factory: factory)
            .increment()
    }

    // MARK: Jobs

    /// Counts one attempt at a job: `job_attempts_total{outcome, status_class}`, and its call's
    /// duration.
    ///
    /// - Parameters:
    ///   - outcome: `success`, `retry`, `dead` or `skipped`.
    ///   - httpStatus: Artifactory's status, `nil` when it did not answer (`none`).
    public func attempt(outcome: String, httpStatus: Int?, duration: Duration) {
        let statusClass = httpStatus.map { (100...599).contains($0) ? "\($0 / 100)xx" : "other" } ?? "none"
        Counter(
            label: Self.prefix + "job_attempts_total",
            dimensions: [("outcome", outcome), ("status_class", statusClass)], factory: factory
        ).increment()
        CoreMetrics.Timer(label: Self.prefix + "artifactory_request_duration_seconds", factory: factory).record(
            duration: duration)
        if outcome == "dead" { deadLetters.increment() }
    }

    /// Jobs that became dead letters since the start.
    var deadLetters: Counter { Counter(label: Self.prefix + "dead_letters_total", factory: factory) }

    private func jobGauge(_ state: StoredJob.State) -> Meter {
        Meter(label: Self.prefix + "jobs", dimensions: [("state", state.rawValue)], factory: factory)
    }

    /// Sets the `jobs{state}` gauge from the store's counts (absent states are 0).
    public func setJobCounts(_ counts: [StoredJob.State: Int]) {
        for state in StoredJob.State.allCases { jobGauge(state).set(counts[state, default: 0]) }
    }

    // MARK: Backpressure

    /// Counts an event stored with its planning deferred: `events_deferred_total`.
    public func eventDeferred() {
        Counter(label: Self.prefix + "events_deferred_total", factory: factory).increment()
    }

    /// Sets `backpressure_active` (0 or 1) and `deferred_events`.
    public func setBackpressure(active: Bool, deferredEvents: Int) {
        Meter(label: Self.prefix + "backpressure_active", factory: factory).set(active ? 1 : 0)
        Meter(label: Self.prefix + "deferred_events", factory: factory).set(deferredEvents)
    }

    // MARK: Rules and retention

    /// Sets `rules_loaded`: the enabled rules in force.
    public func setRulesLoaded(_ count: Int) {
        Meter(label: Self.prefix + "rules_loaded", factory: factory).set(count)
    }

    /// Counts a reload that failed (the previous rules stayed).
    public func reloadFailed() { reloadFailures.increment() }

    var reloadFailures: Counter { Counter(label: Self.prefix + "rules_reload_failures_total", factory: factory) }

    /// Counts a TLS certificate reload that failed (the previous certificate stayed in use).
    public func tlsReloadFailed() {
        Counter(label: Self.prefix + "tls_reload_failures_total", factory: factory).increment()
    }

    /// Records a sample of the store's size: `store_size_bytes`, and `store_full` (1 while
    /// deliveries are refused for `store.max_bytes`).
    public func setStoreSize(bytes: Int, full: Bool) {
        Meter(label: Self.prefix + "store_size_bytes", factory: factory).set(bytes)
        Meter(label: Self.prefix + "store_full", factory: factory).set(full ? 1 : 0)
    }

    /// Counts what a retention pass deleted: `pruned_events_total`.
    public func pruned(_ count: PruneCount) {
        Counter(label: Self.prefix + "pruned_events_total", factory: factory).increment(by: count.events)
    }
}
