/// A failure the simulator injects into the next requests, whatever they ask.
public enum Fault: Sendable, Hashable {
    /// Answer with this status and the documented error body (500, 502, 503, …).
    case status(Int)
    /// Answer 429 Too Many Requests with this `Retry-After` value (seconds or an HTTP-date).
    case tooManyRequests(retryAfter: String)
    /// Wait this long, then handle the request normally.
    case latency(Duration)
    /// Close the connection without answering.
    case dropConnection
}
