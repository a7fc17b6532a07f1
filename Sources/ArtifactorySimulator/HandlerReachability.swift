import Foundation
import NIOCore
import NIOPosix

/// Whether a webhook handler's host accepts TCP connections at all, answered within a second.
///
/// AsyncHTTPClient keeps a request waiting for its whole deadline while it retries a refused
/// connection, so without this check a stopped daemon would hold every delivery for the full
/// webhook timeout; Artifactory reports a refused connection at once.
enum HandlerReachability {
    /// Why the handler at `url` cannot be reached, or `nil` when a connection opens.
    static func failure(for url: String) async -> String? {
        guard let components = URLComponents(string: url), let host = components.host else {
            return "invalid webhook URL"
        }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1))
                .connect(host: host, port: port)
                .get()
            try? await channel.close()
            return nil
        } catch {
            return "error executing webhook: \(error)"
        }
    }
}
