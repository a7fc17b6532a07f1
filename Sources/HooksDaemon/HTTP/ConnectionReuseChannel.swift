import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with a ``ConnectionReuseHandler`` after its request
/// decoder, so that a connection that must not carry another request is closed once answered.
///
/// Hummingbird keeps a connection open after any response unless the request said
/// `Connection: close`, and reads what is left of the request's body before the next one.
struct ConnectionReuseChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(ConnectionReuseHandler(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 as ``ConnectionReuseChannel`` serves it, for the webhook and admin listeners.
    static func http1ClosingUnreusable(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            ConnectionReuseChannel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
