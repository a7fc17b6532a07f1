public import Logging

/// Log lines for journald (`JOURNAL_STREAM` set): no timestamp of our own (the journal stamps every
/// entry), and each line starts with its syslog priority so `journalctl -p warning` and the colours
/// work:
///
/// ```
/// <6>Listening for webhooks endpoints=main http.address=127.0.0.1:8470
/// ```
///
/// trace and debug are `<7>`, info `<6>`, notice `<5>`, warning `<4>`, error `<3>`, critical `<2>`.
/// Metadata follows the message as `key=value`, sorted by key; a value with a space, a quote or an
/// `=` is quoted, and line breaks and other control characters are escaped (``LogEscaping``) so one
/// event is one journal entry.
public struct JournalLogHandler: LogHandler {
    /// The logger's label (not printed: the journal already records the unit).
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let output: LogOutput

    /// - Parameters:
    ///   - label: the logger's label.
    ///   - level: the lowest level written.
    ///   - output: where lines go (standard error, or a test's collector).
    ///   - metadataProvider: contextual metadata added to every line.
    public init(
        label: String, level: Logger.Level = .info, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "<\(Self.priority(event.level))>"
        line += LogEscaping.escaped(event.message.description)
        let merged = LogMetadata.effective(base: metadata, provider: metadataProvider, event: event)
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(LogEscaping.quotedIfNeeded(value.description))"
        }
        output.writeLine(line)
    }

    /// The syslog priority of `level` (`sd-daemon(3)`'s `SD_DEBUG` … `SD_CRIT`).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
