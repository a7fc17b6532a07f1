/// How a database's schema compares with the migrations this version knows.
public struct SchemaState: Sendable, Equatable {
    /// Migrations this version knows that the database lacks, oldest first.
    public var pending: [String]
    /// Migrations the database has that this version does not know: a newer version wrote it.
    public var unknown: [String]

    public init(pending: [String], unknown: [String]) {
        self.pending = pending
        self.unknown = unknown
    }

    /// The state of a database with `applied` migrations, for a version that knows `known` (oldest
    /// first).
    init(known: [String], applied: some Collection<String>) {
        let applied = Set(applied)
        self.init(pending: known.filter { !applied.contains($0) }, unknown: applied.subtracting(known).sorted())
    }

    /// Throws the problem when a newer version upgraded the database: no version migrates a schema
    /// it does not know. An older schema is not a problem for a migration.
    func refuseNewer(at location: String) throws(StorageError) {
        if !unknown.isEmpty, let problem = problem(at: location) { throw problem }
    }

    /// What is wrong for this version to use the database, as a ``StorageError`` at `location`;
    /// `nil` when the schema is exactly this version's.
    public func problem(at location: String) -> StorageError? {
        if let newest = unknown.last {
            return StorageError(
                code: .schemaMismatch, location: location,
                detail: "was upgraded by a newer artifactory-hooks (migration \(newest)); run that version, "
                    + "or restore a backup taken before the upgrade")
        }
        if let first = pending.first {
            return StorageError(
                code: .schemaMismatch, location: location,
                detail: "is older than this artifactory-hooks (it lacks migration \(first)); restart the "
                    + "daemon with this version, which migrates at start, or run `artifactory-hooks store migrate`")
        }
        return nil
    }
}
