public import Foundation
import Synchronization

/// Held while a test starts a child process.
private let startingProcess = Mutex(())

extension Process {
    /// Starts the process, one start at a time across every test of the test process.
    ///
    /// Foundation's `Process.run` on Linux crashed (SIGSEGV in a `memcpy`) when tests running in
    /// parallel started children at the same moment; starts are quick, so taking turns costs
    /// nothing that matters.
    public func runSerialized() throws {
        try startingProcess.withLock { _ in try run() }
    }
}
