import Foundation
public import Logging

/// One JSON object per line, for log shippers (`--log-format json`):
///
/// ```
/// {"time":"2026-11-29T10:00:00.123Z","level":"info","label":"artifactory-hooks","message":"Rules loaded","metadata":{"rules.count":"4"},"source":"HooksDaemon"}
/// ```
///
/// `time` is UTC with milliseconds; `metadata` holds strings, arrays and objects as logged (keys
/// sorted); line breaks inside values are escaped, so a line is always one whole record.
public struct JSONLogHandler: LogHandler {
    /// The logger's label, written as `label`.
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let output: LogOutput
    let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - label: the logger's label.
    ///   - level: the lowest level written.
    ///   - output: where lines go (standard error, or a test's collector).
    ///   - metadataProvider: contextual metadata added to every line.
    ///   - clock: the time stamped on each line (tests fix it).
    public init(
        label: String, level: Logger.Level = .info, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{\"time\":"
        Self.appendString(Self.timestamp(clock()), to: &line)
        line += ",\"level\":"
        Self.appendString(event.level.rawValue, to: &line)
        line += ",\"label\":"
        Self.appendString(label, to: &line)
        line += ",\"message\":"
        Self.appendString(event.message.description, to: &line)
        let merged = LogMetadata.effective(base: metadata, provider: metadataProvider, event: event)
        if !merged.isEmpty {
            line += ",\"metadata\":"
            Self.appendValue(.dictionary(merged), to: &line)
        }
        line += ",\"source\":"
        Self.appendString(event.source, to: &line)
        line += "}"
        output.writeLine(line)
    }

    /// RFC 3339 in UTC with milliseconds: `2026-11-29T10:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Appends `value` as JSON: strings and string-convertibles as strings, arrays, objects with
    /// sorted keys.
    static func appendValue(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            appendString(text, to: &line)
        case .stringConvertible(let convertible):
            appendString(convertible.description, to: &line)
        case .array(let items):
            line += "["
            for (index, item) in items.enumerated() {
                if index > 0 { line += "," }
                appendValue(item, to: &line)
            }
            line += "]"
        case .dictionary(let members):
            line += "{"
            for (index, (key, member)) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                appendString(key, to: &line)
                line += ":"
                appendValue(member, to: &line)
            }
            line += "}"
        }
    }

    /// Appends `text` as a JSON string literal (RFC 8259 escapes; non-ASCII kept as UTF-8).
    static func appendString(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
