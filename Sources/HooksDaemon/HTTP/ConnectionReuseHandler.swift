import NIOCore
import NIOHTTP1

/// Closes an HTTP/1 connection once a response has been written, when that connection must not
/// carry another request:
///
/// - the client did not ask to keep it (HTTP/1.0 without `Connection: keep-alive`, or
///   `Connection: close`): it waits for the close to know the response has ended;
/// - the response says `Connection: close`;
/// - the request's body had not all arrived when the response began (a refusal before or while
///   the body was read: 413, 503, 401 on a missing signature, 404…). Reading the rest only to throw
///   it away would let a client make the daemon read for as long as it sends.
///
/// A response that closes its connection says so with `Connection: close`. Sits between the
/// HTTP/1 decoder and the conversion to `HTTPTypes`, which drops the request's version.
final class ConnectionReuseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Per request not yet answered, oldest first: whether its client keeps the connection.
    private var keepAlive = CircularBuffer<Bool>()
    /// Whether the newest request's body has all arrived.
    private var newestComplete = true
    /// Whether the response being written closes the connection.
    private var closeAfterResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive.append(head.isKeepAlive)
            newestComplete = false
        case .body:
            break
        case .end:
            newestComplete = true
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            // The request answered is the oldest; a newer one's head arrived after its body ended.
            let bodyComplete = keepAlive.count > 1 || newestComplete
            let clientKeeps = keepAlive.first ?? false
            let responseCloses = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
            closeAfterResponse = !clientKeeps || !bodyComplete || responseCloses
            if closeAfterResponse, !responseCloses {
                head.headers.replaceOrAdd(name: "connection", value: "close")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            if !keepAlive.isEmpty { keepAlive.removeFirst() }
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        default:
            context.write(data, promise: promise)
        }
    }
}
