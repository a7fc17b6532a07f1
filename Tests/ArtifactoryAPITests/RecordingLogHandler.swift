import Logging
import Synchronization

/// A log handler that keeps every line, message and metadata, for tests that read the logs.
struct RecordingLogHandler: LogHandler {
    /// Every line logged through any copy of the handler.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])

        var all: [String] { lines.withLock { $0 } }
    }

    let store: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        store.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
    }

    /// A trace-level logger writing into a fresh store.
    static func logger() -> (Logger, Lines) {
        let lines = Lines()
        return (Logger(label: "recording") { _ in RecordingLogHandler(store: lines) }, lines)
    }
}
