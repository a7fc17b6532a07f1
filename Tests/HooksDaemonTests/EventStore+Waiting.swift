import Storage

extension EventStore {
    /// Waits until no job is pending, running or failed, up to `timeout`; returns how many still
    /// are (0 when all finished), read from ``EventStore/jobCounts()``.
    func waitForUnfinishedJobs(timeout: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while true {
            let unfinished = StoredJob.State.unfinishedCount(try await jobCounts())
            if unfinished == 0 || ContinuousClock.now >= deadline { return unfinished }
            try await Task.sleep(for: .milliseconds(40))
        }
    }
}
