import Foundation
import HooksTestSupport

/// A self-signed certificate for `localhost` and `127.0.0.1`, made with the `openssl` command.
struct TestCertificate {
    let certFile: String
    let keyFile: String

    /// Writes `NAME.crt` and `NAME.key` into `directory`.
    static func make(in directory: TemporaryDirectory, name: String) throws -> TestCertificate {
        let cert = directory.path("\(name).crt")
        let key = directory.path("\(name).key")
        let process = try ChildProcess(
            executable: "/usr/bin/openssl",
            arguments: [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days",
                "2", "-subj", "/CN=\(name)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                key, "-out", cert,
            ])
        let ended = process.waitUntilExit()
        guard ended == .exit(0) else { throw Failure(ended: ended) }
        return TestCertificate(certFile: cert, keyFile: key)
    }

    struct Failure: Error, CustomStringConvertible {
        let ended: ChildProcess.Termination
        var description: String { "openssl req ended with \(ended); is openssl installed?" }
    }
}
