import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

extension Doctor {
    /// `PUBLIC_URL/healthz` from this host: the URL Artifactory posts to must reach this daemon.
    static func checkPublicURL(_ publicURL: URL, report: (DoctorCheck) -> Void) async {
        let target =
            publicURL.absoluteString.hasSuffix("/")
            ? publicURL.absoluteString + "healthz" : publicURL.absoluteString + "/healthz"
        let todo =
            "Artifactory posts to subscriptions.public_url: check the DNS name, the reverse proxy and the firewall, and that the daemon runs"
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .seconds(Int64(connectTimeout.components.seconds)),
                read: .seconds(Int64(callTimeout.components.seconds))))
        configuration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: target), timeout: .seconds(Int64(callTimeout.components.seconds)))
            _ = try? await response.body.collect(upTo: 64 << 10)
            if response.status == .ok {
                report(.ok("public_url", "\(target) answers 200"))
            } else {
                report(.fail("public_url", "\(target) answered \(response.status.code)", todo))
            }
        } catch {
            report(.fail("public_url", "\(target) cannot be reached from this host: \(error)", todo))
        }
        try? await client.shutdown()
    }

    /// The expiry of the certificate Artifactory's HTTPS server presents (its trust is the ping's
    /// business; this reads only the dates).
    static func checkServerCertificate(_ url: URL, now: () -> Date, report: (DoctorCheck) -> Void) async {
        guard let host = url.host else { return }
        let port = url.port ?? 443
        let what = "Artifactory's certificate (\(host):\(port))"
        do {
            guard let certificate = try await serverCertificate(host: host, port: port) else {
                report(.warn("artifactory_tls", "\(host):\(port) presented no certificate"))
                return
            }
            report(
                CertificateExpiry.check(
                    notValidAfter: Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter)), of: what,
                    name: "artifactory_tls", now: now(),
                    todo: "ask Artifactory's administrators to renew it: the daemon's calls fail once it expires"))
        } catch {
            report(.warn("artifactory_tls", "cannot read the certificate of \(host):\(port): \(error)"))
        }
    }

    /// Connects, completes a TLS handshake without verifying, and returns the peer's certificate.
    private static func serverCertificate(host: String, port: Int) async throws -> NIOSSLCertificate? {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let context = try NIOSSLContext(configuration: tls)
        let serverName = host.first?.isNumber == true || host.contains(":") ? nil : host
        let group = MultiThreadedEventLoopGroup.singleton
        let handshake = group.any().makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(Int64(connectTimeout.components.seconds)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(promise: handshake))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            handshake.fail(error)
            throw error
        }
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(Int64(callTimeout.components.seconds))) {
            channel.close(promise: nil)
        }
        defer { timeout.cancel() }
        do {
            try await handshake.futureResult.get()
            let certificate = try await channel.nioSSL_peerCertificate().get()
            try? await channel.close()
            return certificate
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

/// Completes its promise once: when the TLS handshake is done, or with the error or close that
/// came first. Lives on its channel's event loop.
private final class HandshakeWaiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<Void>
    private var done = false

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    private func finish(_ result: Result<Void, any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls { finish(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.ioOnClosedChannel))
        context.fireChannelInactive()
    }
}
