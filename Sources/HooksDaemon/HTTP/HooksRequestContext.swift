public import Hummingbird
public import NIOCore

/// The request context of the daemon's routes: Hummingbird's core storage plus the peer's address
/// and the connection's channel.
public struct HooksRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer, `nil` for the in-process router test client.
    public let remoteAddress: SocketAddress?
    /// The connection, for ending its input when a request is refused before its body is read.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.channel = source.channel
    }
}
