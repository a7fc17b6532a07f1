import Logging
import NIOCore

/// Watches a listening socket's pipeline for failed accepts (`EMFILE`: out of descriptors,
/// `ENFILE`, `ENOBUFS`, `ENOMEM`): counts each in `accept_errors_total{listener}` and logs at most
/// one line per ten seconds, then passes the error on.
///
/// SwiftNIO (2.101) retries a failed accept at once, whatever its accept back-off says: the read it
/// was asked for stays pending until an accept succeeds, so the listening socket stays in the
/// poll set and the loop spins. The connection caps, sized below the descriptor limit, are what
/// keep accepts from failing; this handler makes it visible when they do all the same.
final class AcceptErrorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let listener: String
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let throttle = LogThrottle(interval: .seconds(10))

    init(listener: String, metrics: DaemonMetrics, logger: Logger) {
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
        }
        context.fireErrorCaught(error)
    }
}
