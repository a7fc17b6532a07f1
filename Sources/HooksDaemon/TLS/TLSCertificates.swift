import Foundation
import Logging
import NIOCore
public import NIOSSL
import Synchronization

/// The webhook listener's certificate chain and private key, read from PEM files and read again
/// on reload, so a renewed certificate serves new connections without a restart.
public final class TLSCertificates: Sendable {
    /// The files, as configured.
    public let settings: DaemonConfig.TLS
    private let current: Mutex<Loaded>

    /// One consistent pair read from the files.
    struct Loaded: Sendable {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
    }

    /// Reads and checks the files; throws a ``TLSLoadError`` saying which file is wrong and how.
    public init(_ settings: DaemonConfig.TLS) throws(TLSLoadError) {
        self.settings = settings
        self.current = Mutex(try Self.load(settings))
    }

    /// Reads the files again and uses them for new connections; when they do not load, the
    /// previous pair stays in use and the error is thrown.
    public func reload() throws(TLSLoadError) {
        let loaded = try Self.load(settings)
        current.withLock { $0 = loaded }
    }

    /// The server TLS configuration: TLS 1.2 or later, with the current pair chosen per handshake.
    public var serverConfiguration: TLSConfiguration {
        let loaded = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: loaded.chain.map { .certificate($0) }, privateKey: .privateKey(loaded.key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let loaded = self.current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = loaded.chain.map { .certificate($0) }
            override.privateKey = .privateKey(loaded.key)
            promise.succeed(override)
        }
        return configuration
    }

    static func load(_ settings: DaemonConfig.TLS) throws(TLSLoadError) -> Loaded {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(settings.certFile)
        } catch {
            throw TLSLoadError(
                key: "cert_file", file: settings.certFile,
                message:
                    "cannot read a PEM certificate chain (\(error)); give the server certificate first, then its intermediates"
            )
        }
        guard !chain.isEmpty else {
            throw TLSLoadError(key: "cert_file", file: settings.certFile, message: "holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        guard FileManager.default.isReadableFile(atPath: settings.keyFile) else {
            throw TLSLoadError(
                key: "key_file", file: settings.keyFile,
                message: "cannot be read: it does not exist, or this user may not read it")
        }
        do {
            key = try NIOSSLPrivateKey(file: settings.keyFile, format: .pem)
        } catch {
            throw TLSLoadError(
                key: "key_file", file: settings.keyFile,
                message: "holds no PEM private key that loads (\(error)); it must be PEM and not encrypted")
        }
        do {
            // Building a context checks that the key belongs to the certificate.
            _ = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw TLSLoadError(
                key: "key_file", file: settings.keyFile,
                message: "does not match the certificate in \(settings.certFile) (\(error))")
        }
        return Loaded(chain: chain, key: key)
    }
}

/// A TLS certificate or key file that could not be used.
public struct TLSLoadError: Error, CustomStringConvertible {
    /// The config key naming the file at fault: `cert_file` or `key_file`.
    public var key: String
    /// The file at fault.
    public var file: String
    /// What is wrong with it and what to do.
    public var message: String

    public var description: String { "\(file): \(message)" }
}

/// Reads the certificate files again (on SIGHUP) and logs the outcome; a pair that does not load
/// leaves the previous one in use, is counted, and is returned as a line for systemd's status.
func reloadCertificates(_ certificates: TLSCertificates, metrics: DaemonMetrics, logger: Logger) -> String? {
    do {
        try certificates.reload()
        logger.info("TLS certificate reloaded", metadata: ["tls.cert_file": .string(certificates.settings.certFile)])
        return nil
    } catch {
        metrics.tlsReloadFailed()
        logger.error(
            "TLS certificate reload failed; the previous certificate stays in use",
            metadata: ["error": .string(error.description)])
        return "TLS certificate reload failed; the previous one stays in use"
    }
}
