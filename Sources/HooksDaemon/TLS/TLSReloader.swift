public import Logging
public import ServiceLifecycle
import UnixSignals

/// Reads the listener's certificate and key files again on SIGHUP (`systemctl reload`), so a
/// renewed certificate is served without a restart. A pair that does not load is logged and the
/// previous one stays in use.
public struct TLSReloader: Service {
    let certificates: TLSCertificates
    let logger: Logger

    public init(certificates: TLSCertificates, logger: Logger) {
        self.certificates = certificates
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// Reloads the files and logs the outcome.
    func reload() {
        do {
            try certificates.reload()
            logger.info(
                "TLS certificate reloaded", metadata: ["tls.cert_file": .string(certificates.settings.certFile)])
        } catch {
            logger.error(
                "TLS certificate reload failed; the previous certificate stays in use",
                metadata: ["error": .string(error.description)])
        }
    }
}
