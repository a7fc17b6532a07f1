public import Foundation

extension TargetClient {
    /// How to reach one outbound target of the config's `targets:`.
    public struct Configuration: Sendable {
        /// The target's name, as rules write it.
        public var name: String
        /// The base URL every `http:` path is relative to; a call without a path goes to it as is.
        public var baseURL: URL
        /// How to authenticate. Default none.
        public var auth: TargetAuth
        /// How to sign each delivery, when the receiver verifies. Default: not signed.
        public var signing: TargetSigning?
        /// Longest a whole call may take. Default 30 seconds.
        public var requestTimeout: Duration
        /// Longest opening a connection may take. Default 10 seconds.
        public var connectTimeout: Duration
        /// A PEM file of CA certificates trusted in addition to the system's.
        public var caFile: String?
        /// The statuses that count as success; `nil`: every 2xx.
        public var successStatuses: Set<Int>?
        /// The statuses worth another attempt; `nil`: 408, 425, 429 and every 5xx. Any other status
        /// that is not a success is permanent (the job goes to the dead letters).
        public var retryStatuses: Set<Int>?
        /// Largest answer body read, in bytes. Default 1 MiB.
        public var maxResponseBytes: Int
        /// The `User-Agent` header. Default `artifactory-hooks`.
        public var userAgent: String
        /// Whether ``baseURL`` is itself a credential (read from `url_file`): previews show
        /// ``maskedURL`` in its place and no message names it. Default `false`.
        public var urlIsSecret = false

        public init(
            name: String, baseURL: URL, auth: TargetAuth = .none, signing: TargetSigning? = nil,
            requestTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10), caFile: String? = nil,
            successStatuses: Set<Int>? = nil, retryStatuses: Set<Int>? = nil, maxResponseBytes: Int = 1 << 20,
            userAgent: String = "artifactory-hooks"
        ) {
            self.name = name
            self.baseURL = baseURL
            self.auth = auth
            self.signing = signing
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.caFile = caFile
            self.successStatuses = successStatuses
            self.retryStatuses = retryStatuses
            self.maxResponseBytes = maxResponseBytes
            self.userAgent = userAgent
        }

        /// Whether `status` counts as success.
        public func isSuccess(_ status: Int) -> Bool {
            successStatuses?.contains(status) ?? (200..<300).contains(status)
        }

        /// Whether a `status` that is not a success is worth another attempt.
        public func isRetryable(_ status: Int) -> Bool {
            retryStatuses?.contains(status) ?? ([408, 425, 429].contains(status) || (500..<600).contains(status))
        }

        /// The URL of a request's path and query under ``baseURL``: the base itself for an empty
        /// path; the request's query after the base's own (a `url_file` URL may carry one, as
        /// signed incoming-webhook URLs do).
        public func url(pathAndQuery: String) -> String {
            Self.join(base: baseURL.absoluteString, pathAndQuery: pathAndQuery)
        }

        /// What a preview shows for ``url(pathAndQuery:)``: the same, or with a secret base URL
        /// replaced by `<url_file of NAME>`.
        public func shownURL(pathAndQuery: String) -> String {
            urlIsSecret
                ? Self.join(base: "<url_file of \(name)>", pathAndQuery: pathAndQuery) : url(pathAndQuery: pathAndQuery)
        }

        static func join(base full: String, pathAndQuery: String) -> String {
            var base = Substring(full.prefix { $0 != "?" })
            let baseQuery = full.dropFirst(base.count).dropFirst()
            while base.hasSuffix("/") { base.removeLast() }
            let relative = pathAndQuery.drop { $0 == "/" }
            let path = relative.prefix { $0 != "?" }
            let query = relative.dropFirst(path.count).dropFirst()
            var url = path.isEmpty ? String(base) : base + "/" + path
            let queries = [baseQuery, query].filter { !$0.isEmpty }
            if !queries.isEmpty { url += "?" + queries.joined(separator: "&") }
            return url
        }
    }
}
