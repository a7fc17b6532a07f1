import YAMLDiagnostics

/// `worker:`: how planned jobs run against Artifactory.
extension ConfigReader {
    static var workerKeys: [String] { ConfigFileSchema.worker.keyNames }

    func readWorker(_ top: YAMLMappingReader) -> DaemonConfig.Worker {
        var worker = DaemonConfig.Worker()
        guard let node = top.value("worker"), let section = YAMLMappingReader(node, in: document) else { return worker }
        section.rejectUnknownKeys(Self.workerKeys)
        let counts: [(String, WritableKeyPath<DaemonConfig.Worker, Int>)] = [
            ("concurrency", \.concurrency), ("max_attempts", \.maxAttempts), ("max_hops", \.maxHops),
            ("max_pending", \.maxPending), ("max_fanout_items", \.maxFanoutItems),
        ]
        for (key, path) in counts {
            read(.count(key, minimum: 1), in: section, into: &worker[keyPath: path])
        }
        let durations: [(String, WritableKeyPath<DaemonConfig.Worker, Duration>)] = [
            ("max_age", \.maxAge), ("backoff_base", \.backoffBase), ("backoff_max", \.backoffMax), ("lease", \.lease),
            ("self_caused_window", \.selfCausedWindow), ("drain_timeout", \.drainTimeout),
        ]
        for (key, path) in durations {
            read(.duration(key, example: "500ms, 30s, 5m or 24h"), in: section, into: &worker[keyPath: path])
        }
        return worker
    }
}
