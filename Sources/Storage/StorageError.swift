/// A failure of the event store. `description` is safe to show; the underlying error is in
/// `debugDescription` only.
public struct StorageError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable {
        /// The database could not be opened or created.
        case openFailed = "open_failed"
        /// A migration failed.
        case migrationFailed = "migration_failed"
        /// A write did not commit.
        case writeFailed = "write_failed"
        /// A read failed.
        case readFailed = "read_failed"
        /// `store copy` would mix histories or schemas; `detail` says why.
        case copyRefused = "copy_refused"
    }

    public var code: Code
    /// Where: a file path or a table.
    public var location: String
    /// The error the database reported.
    public var underlying: (any Error)?
    /// What to do about it, when the store knows (safe to show).
    public var detail: String?

    public init(code: Code, location: String, underlying: (any Error)? = nil, detail: String? = nil) {
        self.code = code
        self.location = location
        self.underlying = underlying
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .openFailed: "cannot open the event store at \(location)"
        case .migrationFailed: "cannot migrate the event store at \(location)"
        case .writeFailed: "the event store at \(location) did not commit a write"
        case .readFailed: "cannot read the event store at \(location)"
        case .copyRefused: "will not copy into the event store at \(location): \(detail ?? "refused")"
        }
    }

    public var debugDescription: String {
        underlying.map { "\(description): \(String(reflecting: $0))" } ?? description
    }
}
