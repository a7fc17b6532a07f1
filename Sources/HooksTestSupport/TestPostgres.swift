import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests may use, named by `ARTIFACTORY_HOOKS_TEST_POSTGRES`
/// (`postgres://USER@HOST:PORT/DATABASE`, a role allowed to create databases). `.ci/run` starts a
/// throwaway one; unset, every PostgreSQL test is skipped and says so.
public enum TestPostgres {
    /// The environment variable that names the server.
    public static let variable = "ARTIFACTORY_HOOKS_TEST_POSTGRES"

    /// The administrative URL, when set.
    public static var url: String? {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else { return nil }
        return value
    }

    /// Whether PostgreSQL tests run.
    public static var isAvailable: Bool { url != nil }

    /// Why PostgreSQL tests did not run, for skip messages.
    public static let skipReason =
        "\(variable) is unset: PostgreSQL cases skipped (.ci/run starts a server; scripts/with-postgres.sh too)"

    /// Creates an empty database of its own for one test and returns it; ``TestDatabase/drop()``
    /// removes it.
    public static func createDatabase() async throws -> TestDatabase {
        guard let url, var components = URLComponents(string: url) else {
            throw TestPostgresError(message: skipReason)
        }
        let name = "ah_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await administer(components, "CREATE DATABASE \(name)")
        components.path = "/\(name)"
        return TestDatabase(name: name, url: components.string!, admin: url)
    }

    /// Runs one statement on the administrative database.
    static func administer(_ components: URLComponents, _ sql: String) async throws {
        let configuration = PostgresConnection.Configuration(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432,
            username: components.user ?? "postgres", password: components.password,
            database: String(components.path.dropFirst()), tls: .disable)
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: 1, logger: Logger(label: "test-postgres"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-postgres"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

/// A database created for one test.
public struct TestDatabase: Sendable {
    /// Its name.
    public let name: String
    /// `postgres://USER@HOST:PORT/NAME`.
    public let url: String
    let admin: String

    /// Runs one statement on this database, as the administrative user.
    public func execute(_ sql: String) async throws {
        guard let components = URLComponents(string: url) else { throw TestPostgresError(message: url) }
        try await TestPostgres.administer(components, sql)
    }

    /// Drops the database, closing any connection still open to it.
    public func drop() async {
        guard let components = URLComponents(string: admin) else { return }
        try? await TestPostgres.administer(components, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// The test PostgreSQL server is not configured or could not be reached.
public struct TestPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
