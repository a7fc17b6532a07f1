import ArtifactoryAPI
import ArtifactorySimulator
import Foundation
import HooksTestSupport
import Testing

@Suite("TLS with a private CA", .timeLimit(.minutes(1)))
struct ArtifactoryClientTLSTests {
    /// A CA and a server certificate for 127.0.0.1 it signed, made with the openssl tool.
    struct Certificates {
        let directory: TemporaryDirectory
        var ca: String { directory.path("ca.pem") }
        var certificate: String { directory.path("server.pem") }
        var key: String { directory.path("server.key") }

        init() throws {
            directory = try TemporaryDirectory()
            try directory.write("ext.cnf", "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
            try Self.openssl(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days",
                    "2",
                    "-subj", "/CN=artifactory-hooks test CA",
                ], in: directory)
            try Self.openssl(
                [
                    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                    "/CN=127.0.0.1",
                ], in: directory)
            try Self.openssl(
                [
                    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                    "server.pem", "-days", "2", "-extfile", "ext.cnf",
                ], in: directory)
        }

        private static func openssl(_ arguments: [String], in directory: TemporaryDirectory) throws {
            let process = try ChildProcess(
                executable: "/usr/bin/openssl", arguments: arguments, directory: directory.url.path)
            guard process.waitUntilExit() == .exit(0) else { throw CocoaError(.fileWriteUnknown) }
        }
    }

    @Test("the CA file makes the private certificate trusted; without it the call fails")
    func privateCA() async throws {
        let certificates = try Certificates()
        defer { certificates.directory.remove() }
        let simulator = ArtifactorySimulator(
            configuration: .init(
                tokens: [SimulatorHarness.token],
                tls: .init(certificateFile: certificates.certificate, privateKeyFile: certificates.key)))
        try await simulator.withRunning(logger: SimulatorHarness.logger) { url in
            #expect(url.scheme == "https")
            let trusted = try ArtifactoryClient(
                configuration: .init(
                    baseURL: url, credential: .accessToken(SimulatorHarness.token), caFile: certificates.ca),
                logger: SimulatorHarness.logger)
            try await trusted.ping()
            try await trusted.shutdown()

            let untrusted = try ArtifactoryClient(
                configuration: .init(baseURL: url, credential: .accessToken(SimulatorHarness.token)),
                logger: SimulatorHarness.logger)
            let error = await SimulatorHarness.failure { try await untrusted.ping() }
            try await untrusted.shutdown()
            #expect(error?.code == .connectionFailed)
            // The job's error says why, and what to do.
            #expect(error?.description.contains("set artifactory.ca_file") == true, "\(String(describing: error))")
        }
    }

    @Test("an unreadable or empty CA file is a configuration error at start")
    func badCAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("empty.pem", "")
        for path in [directory.path("missing.pem"), directory.path("empty.pem")] {
            do {
                _ = try ArtifactoryClient(
                    configuration: .init(
                        baseURL: URL(string: "https://artifactory.example.com/artifactory")!,
                        credential: .accessToken("t"), caFile: path),
                    logger: SimulatorHarness.logger)
                Issue.record("a client was made with \(path)")
            } catch {
                #expect(error.code == .configuration)
                #expect(error.description.contains("misconfigured"))
            }
        }
    }
}

@Suite("The base URL")
struct ArtifactoryClientBaseURLTests {
    @Test(
        "a base URL that is not http(s) with a host is a configuration error at start",
        arguments: ["ftp://artifactory.example.com/artifactory", "file:///srv/artifactory", "artifactory/api"])
    func refusedBaseURL(text: String) throws {
        do {
            _ = try ArtifactoryClient(
                configuration: .init(baseURL: URL(string: text)!, credential: .accessToken("t")),
                logger: SimulatorHarness.logger)
            Issue.record("a client was made for \(text)")
        } catch {
            #expect(error.code == .configuration)
            #expect(error.messages.contains { $0.contains("http(s) with a host") })
        }
    }
}
