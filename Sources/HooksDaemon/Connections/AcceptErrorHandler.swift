import Logging
import NIOCore

/// Watches a listening socket's pipeline for failed accepts (`EMFILE`: out of descriptors,
/// `ENFILE`, `ENOBUFS`, `ENOMEM`): counts each in `accept_errors_total{listener}` and logs at most
/// one line per ten seconds, then passes the error on to SwiftNIO's accept back-off, which waits
/// a second before accepting again instead of retrying at once.
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
                    "Accepting a connection failed; accepting again in a second",
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
