import Logging
import NIOCore

/// Watches a listening socket's pipeline for failed accepts (`EMFILE`: out of descriptors,
/// `ENFILE`, `ENOBUFS`, `ENOMEM`): counts each in `accept_errors_total{listener}`, logs at most
/// one line per ten seconds, and stops accepting for a while (a second) before trying again.
///
/// SwiftNIO (2.101) retries a failed accept at once, whatever its accept back-off says: the read it
/// was asked for stays pending until an accept succeeds, so the listening socket stays in the
/// poll set and the loop spins. Turning the listening channel's `autoRead` off takes the socket out
/// of the poll set; turning it on after the pause asks for the next accept. The connection caps,
/// sized below the descriptor limit, keep accepts from failing in the first place.
final class AcceptErrorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    /// How long the listener stops accepting after a failed accept. Default 1 second.
    private let backoff: TimeAmount

    private let listener: String
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let throttle = LogThrottle(interval: .seconds(10))
    private var paused = false

    init(listener: String, metrics: DaemonMetrics, logger: Logger, backoff: TimeAmount = .seconds(1)) {
        self.backoff = backoff
        self.listener = listener
        self.metrics = metrics
        self.logger = logger
        metrics.acceptFailed(listener: listener, count: 0)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError {
            metrics.acceptFailed(listener: listener)
            if let suppressed = throttle.admit("accept") {
                logger.error(
                    "Accepting a connection failed; is another process using up the descriptor limit?",
                    metadata: [
                        "http.listener": .string(listener), "error.errno": .stringConvertible(error.errnoCode),
                        "error.message": .string(error.description),
                        "log.suppressed": .stringConvertible(suppressed),
                    ])
            }
            pauseAccepting(context)
        }
        context.fireErrorCaught(error)
    }

    /// Stops reading from the listening socket for ``backoff``, then asks for the next accept.
    private func pauseAccepting(_ context: ChannelHandlerContext) {
        guard !paused, let options = context.channel.syncOptions else { return }
        do {
            try options.setOption(.autoRead, value: false)
        } catch {
            return
        }
        paused = true
        let channel = context.channel
        context.eventLoop.assumeIsolated().scheduleTask(in: backoff) {
            self.paused = false
            try? channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }
}
