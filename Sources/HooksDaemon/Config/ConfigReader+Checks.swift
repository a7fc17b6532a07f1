import YAMLDiagnostics

/// Checks across sections: settings each valid alone that do not fit together.
extension ConfigReader {
    /// A body of the largest size accepted must fit in the budget of buffered bytes, or it would
    /// be refused for ever.
    func checkBufferCoversBody(ingest: DaemonConfig.Ingest, top: YAMLMappingReader) {
        guard ingest.maxBufferedBytes < ingest.maxBodyBytes else { return }
        let message =
            "ingest.max_buffered_bytes (\(ingest.maxBufferedBytes)) is smaller than ingest.max_body_bytes "
            + "(\(ingest.maxBodyBytes)): a delivery of the largest size accepted would never fit; raise "
            + "max_buffered_bytes or lower max_body_bytes"
        report(message, atFirstOf: [("ingest", "max_buffered_bytes"), ("ingest", "max_body_bytes")], in: top)
    }

    /// A job starts with at least half its lease left and its call may take the whole
    /// `artifactory.timeout`: a shorter lease could run out during the call, and the job would be
    /// leased and called again while the first call still waits for its answer.
    func checkLeaseOutlastsCalls(
        worker: DaemonConfig.Worker, artifactory: DaemonConfig.Artifactory, top: YAMLMappingReader
    ) {
        guard worker.lease < artifactory.timeout * 2 else { return }
        let message =
            "worker.lease (\(DurationText.format(worker.lease))) must be at least twice artifactory.timeout "
            + "(\(DurationText.format(artifactory.timeout))): a job starts with half its lease left at the least, "
            + "and a lease that ends during a call lets the same job be called again; raise the lease or lower the timeout"
        report(message, atFirstOf: [("worker", "lease"), ("artifactory", "timeout")], in: top)
    }

    /// Retention must keep an event at least as long as a redelivery of it is recognised: the
    /// fingerprint goes with the event.
    func checkRetentionCoversDedup(
        retention: DaemonConfig.Retention, ingest: DaemonConfig.Ingest, top: YAMLMappingReader
    ) {
        guard let maxAge = retention.maxAge, maxAge < ingest.dedupWindow else { return }
        let message =
            "store.retention (\(DurationText.format(maxAge))) is shorter than ingest.dedup_window "
            + "(\(DurationText.format(ingest.dedupWindow))): an event pruned inside the window would not be "
            + "recognised when Artifactory sends it again; keep events at least as long as the window"
        report(message, atFirstOf: [("store", "retention")], in: top)
    }

    /// Reports `message` at the value of the first `section.key` the file writes, or without a
    /// place when it writes none of them (the value came from a default or the environment).
    func report(_ message: String, atFirstOf keys: [(section: String, key: String)], in top: YAMLMappingReader) {
        let nodes = keys.lazy.compactMap { section, key in
            top.value(section)?.entries?.first { $0.key == key }?.value
        }
        if let node = nodes.first {
            document.report(message, at: node)
        } else {
            document.reportUnlocated(message)
        }
    }
}
