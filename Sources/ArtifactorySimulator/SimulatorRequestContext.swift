public import Hummingbird
public import NIOCore

/// The simulator's request context: Hummingbird's core storage plus the connection, so a fault
/// can close it without answering.
public struct SimulatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
