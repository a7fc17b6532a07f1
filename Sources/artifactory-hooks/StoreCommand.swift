import ArgumentParser
import Foundation
import HooksDaemon
import Logging
import Storage

/// `artifactory-hooks store …`: the schema, and moving history from SQLite to PostgreSQL.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Migrate the event store, or copy a SQLite store into PostgreSQL.",
        subcommands: [Migrate.self, Copy.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or upgrade the configured store's schema and print its version.",
            discussion: """
                The daemon migrates at start too; run this to upgrade ahead of a rolling restart. \
                Several daemons starting at once on one PostgreSQL database migrate one after the other.
                """)

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            let store = try await openStore(config.store, logger: quietLogger)
            let versions = try await withRunning(store) { try await $0.schemaVersions() }
            print("schema: \(versions.last ?? "none") (migrations: \(versions.joined(separator: ", ")))")
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every event, job and attempt of a SQLite store into a PostgreSQL store.",
            discussion: """
                Stop the daemon first. Ids and order are kept; the PostgreSQL sequences continue after \
                them. The copy is one transaction: it lands whole or not at all.
                Example: artifactory-hooks store copy --from sqlite:/var/lib/artifactory-hooks/events.sqlite \
                --to postgres://hooks@db.example.com:5432/hooks --password-file /etc/artifactory-hooks/db-password
                """)

        @Option(help: ArgumentHelp("The source: sqlite:PATH.", valueName: "sqlite:PATH"))
        var from: String

        @Option(help: ArgumentHelp("The target: postgres:URL or a postgres:// URL.", valueName: "postgres:URL"))
        var to: String

        @Option(help: ArgumentHelp("A file holding the PostgreSQL password.", valueName: "FILE"))
        var passwordFile: String?

        @Option(help: "TLS to PostgreSQL: disable, prefer or require.")
        var tls: String = "prefer"

        @Flag(help: "Empty a target that already holds events or jobs before copying.")
        var replace = false

        var sourcePath: String? {
            from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : nil
        }

        var targetURL: String {
            to.hasPrefix("postgres:postgres") ? String(to.dropFirst("postgres:".count)) : to
        }

        func validate() throws {
            guard let path = sourcePath, !path.isEmpty else {
                throw ValidationError(
                    "--from takes sqlite:PATH, for example sqlite:/var/lib/artifactory-hooks/events.sqlite")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("--from: no SQLite file at \(path)")
            }
            guard PostgresEventStore.Configuration.TLSMode(rawValue: tls) != nil else {
                throw ValidationError("--tls takes disable, prefer or require")
            }
            guard PostgresEventStore.Configuration(url: targetURL) != nil else {
                throw ValidationError(
                    "--to takes postgres:postgres://USER@HOST[:PORT]/DATABASE (the password goes in --password-file)")
            }
        }

        func run() async throws {
            var password: String?
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                    throw ValidationError("--password-file: cannot read \(passwordFile)")
                }
                password = text.hasSuffix("\n") ? String(text.dropLast()) : text
            }
            guard let path = sourcePath, let mode = PostgresEventStore.Configuration.TLSMode(rawValue: tls),
                let configuration = PostgresEventStore.Configuration(
                    url: targetURL, password: password, tls: mode, poolSize: 2)
            else { throw ValidationError("invalid --from or --to") }
            let source = try SQLiteEventStore(configuration: .init(path: path))
            let target = PostgresEventStore(configuration: configuration, logger: quietLogger)
            do {
                try await source.migrate()
                let counts = try await withRunning(target) { _ in
                    try await target.migrate()
                    return try await StoreCopy.copy(from: source, to: target, replace: replace)
                }
                try await source.close()
                print("copied \(counts) from \(path) to \(configuration)")
            } catch {
                try? await target.close()
                try? await source.close()
                FileHandle.standardError.write(Data("error: \(String(reflecting: error))\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
