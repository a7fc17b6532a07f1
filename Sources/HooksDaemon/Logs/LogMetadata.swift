import Logging

/// The metadata of one log line, assembled the same way by every handler of the daemon.
enum LogMetadata {
    /// The handler's own metadata, then the provider's, then the call's (later wins), plus the
    /// event's error under `error` when the call did not set one.
    static func effective(
        base: Logger.Metadata, provider: Logger.MetadataProvider?, event: LogEvent
    ) -> Logger.Metadata {
        var merged = base
        if let provided = provider?.get() {
            merged.merge(provided) { $1 }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { $1 }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = .string("\(error)")
        }
        return merged
    }
}
