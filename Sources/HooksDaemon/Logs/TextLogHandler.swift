public import Logging

/// The `text` format: swift-log's `StreamLogHandler` lines, with the logger's own metadata kept
/// here and handed to the stream handler with each line written.
///
/// `StreamLogHandler` renders its metadata as text again whenever a key is set, and Hummingbird
/// sets one (the request id) on the logger of every request: about 1.5% of the daemon's CPU under
/// ingest load, spent on text for lines that are never written. Handed over as a line's own
/// metadata, it is rendered only for a line that is written, into the same text (merged by
/// ``LogMetadata/effective(base:provider:event:)`` in the order the stream handler merges them).
/// The message and metadata are escaped as in the other formats (``LogEscaping``), and a value
/// with a space, a `=` or a quote is quoted, so a value cannot pass for more `key=value` pairs.
public struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// Writes through `stream`, which should carry no metadata and no provider of its own.
    /// - Parameters:
    ///   - stream: where lines go, in its format.
    ///   - level: the lowest level written.
    ///   - metadataProvider: contextual metadata added to every line.
    public init(
        wrapping stream: StreamLogHandler, level: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.stream = stream
        self.stream.metadataProvider = nil
        self.stream.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // The merge every handler of the daemon uses; the error is written as the stream handler
        // writes it, as `error.message` and `error.type`.
        var withoutError = event
        withoutError.error = nil
        var merged = LogMetadata.effective(base: metadata, provider: metadataProvider, event: withoutError)
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = withoutError
        line.message = Logger.Message(stringLiteral: LogEscaping.escaped(event.message.description))
        line.metadata = merged.isEmpty ? nil : merged.mapValues { .string(LogEscaping.quotedIfNeeded($0.description)) }
        stream.log(event: line)
    }
}
