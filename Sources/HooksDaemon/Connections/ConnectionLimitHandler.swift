import HTTPTypes
import NIOCore
// HTTP parts as Hummingbird's pipeline carries them (swift-nio-extras, which Hummingbird brings).
import NIOHTTPTypes

/// Holds one connection in its listener's ``ConnectionLimit``: admitted when it becomes active
/// (or closed at once when refused), busy from a request head until that request's response has
/// gone out, released when it closes. Sits after HTTP decoding, so it sees request and response
/// parts.
final class ConnectionLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: ConnectionLimit
    private var id: UInt64?
    /// Requests read whose response has not ended yet (more than one when pipelined).
    private var underWay = 0
    /// Closed at once for want of room.
    private var refused = false

    init(limit: ConnectionLimit) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added to a connection already active: it will not see channelActive.
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if id == nil, !refused { admit(context) }
        if !refused { context.fireChannelActive() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = Self.unwrapInboundIn(data) {
            underWay += 1
            if underWay == 1, let id { limit.setBusy(id, true) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = Self.unwrapOutboundIn(data), underWay > 0 {
            underWay -= 1
            if underWay == 0, let id { limit.setBusy(id, false) }
        }
        context.write(data, promise: promise)
    }

    private func admit(_ context: ChannelHandlerContext) {
        switch limit.admit(context.channel) {
        case .held(let id):
            self.id = id
        case .refused:
            refused = true
            context.close(promise: nil)
        }
    }

    private func release() {
        guard let id else { return }
        self.id = nil
        limit.release(id)
    }
}
