import GRDB
import PostgresNIO

/// A failure of the event store. `description` is safe to show: what failed, where, and the
/// database's own words for why (SQLite's message, PostgreSQL's server message), never a value or
/// a password; the whole underlying error is in `debugDescription` only.
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
        /// The schema is not the one this version writes (older, or from a newer version); `detail`
        /// says which and what to do.
        case schemaMismatch = "schema_mismatch"
        /// There is no store where the config says (commands do not create one); `detail` says what
        /// to check.
        case notFound = "not_found"
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
        let what =
            switch code {
            case .openFailed: "cannot open the event store at \(location)"
            case .migrationFailed: "cannot migrate the event store at \(location)"
            case .writeFailed: "the event store at \(location) did not commit a write"
            case .readFailed: "cannot read the event store at \(location)"
            case .copyRefused: "will not copy into the event store at \(location): \(detail ?? "refused")"
            case .schemaMismatch: "the event store at \(location) \(detail ?? "has another schema")"
            case .notFound: "no event store at \(location)\(detail.map { ": \($0)" } ?? "")"
            }
        return reason.map { "\(what): \($0)" } ?? what
    }

    /// Why, in the database's words: "database or disk is full", "attempt to write a readonly
    /// database", "file is not a database", a PostgreSQL server message. `nil` when unknown.
    public var reason: String? { underlying.map(Self.reason(of:)) }

    /// `error` in the database's words, looking inside PostgreSQL's transaction wrapper.
    static func reason(of error: any Error) -> String {
        switch error {
        case let error as DatabaseError:
            return error.message ?? "SQLite result code \(error.resultCode.rawValue)"
        case let error as PSQLError:
            guard let message = error.serverInfo?[.message] else {
                // No server answer: the network's reason (refused, timed out, TLS), when there is one.
                let cause = error.underlying.map { ": " + String(String(describing: $0).prefix(300)) } ?? ""
                return "PostgreSQL: \(error.code)\(cause)"
            }
            return "PostgreSQL: \(message)" + (error.serverInfo?[.sqlState].map { " (\($0))" } ?? "")
        case let error as PostgresTransactionError:
            // BEGIN, the transaction's body or COMMIT: the first that failed says why.
            guard let inner = error.beginError ?? error.closureError ?? error.commitError else {
                return "PostgreSQL: the transaction failed"
            }
            return reason(of: inner)
        case let error as StorageError:
            return error.description
        default:
            return String(String(describing: error).prefix(200))
        }
    }

    public var debugDescription: String {
        underlying.map { "\(description): \(String(reflecting: $0))" } ?? description
    }
}
