import AsyncHTTPClient
import Logging
import NIOCore
import NIOSSL

/// The HTTP client every outbound call with a credential goes through (Artifactory, targets):
/// redirects are not followed, so the credential only ever reaches the configured host; the CA
/// file's certificates are trusted besides the system's; no tracing.
enum OutboundHTTPClient {
    /// A client trusting `caFile` (PEM) as well, opening connections within `connectTimeout`.
    /// Fails with ``ArtifactoryAPIError/Code/configuration`` when the file cannot be read or
    /// holds no certificate.
    static func make(caFile: String?, connectTimeout: Duration, logger: Logger) throws(ArtifactoryAPIError)
        -> HTTPClient
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.additionalTrustRoots = [.certificates(try certificates(caFile))] }
        var http = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow, timeout: .init(connect: TimeAmount(connectTimeout))
        )
        // No tracer is set up, but the client would still build a span's attributes for every call.
        http.tracing.tracer = nil
        return HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http, backgroundActivityLogger: logger)
    }

    private static func certificates(_ path: String) throws(ArtifactoryAPIError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw ArtifactoryAPIError(
                code: .configuration, messages: ["cannot read CA certificates (PEM) from \(path)"], underlying: error)
        }
        guard !certificates.isEmpty else {
            throw ArtifactoryAPIError(code: .configuration, messages: ["no PEM certificate in \(path)"])
        }
        return certificates
    }
}
