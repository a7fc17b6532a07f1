import ArtifactoryEvents
import Foundation
import HTTPTypes
public import Hummingbird
import Logging
import NIOCore
import Rules
public import Storage

/// `POST /webhooks/{endpoint}`: receive, verify over the raw bytes, decode, deduplicate, persist,
/// and only then acknowledge (design.md steps 1–6).
public struct IngestController: Sendable {
    /// One configured endpoint, ready to verify.
    struct Endpoint: Sendable {
        let name: String
        let verifier: SignatureVerifier
        /// Client addresses accepted; empty accepts any.
        let allowFrom: [CIDRBlock]
        /// `accept:`: the events planned; the others are stored as ignored.
        let accept: EventFilter?
    }

    let endpoints: [String: Endpoint]
    let store: any EventLog
    /// Where `subscriptions test` waits for its test events; `nil` refuses them.
    let tests: (any SubscriptionTestLedger)?
    let rules: ActiveRules
    let ingest: DaemonConfig.Ingest
    let planner: EventPlanner
    let backlog: Backlog
    let metrics: DaemonMetrics
    let jobsPlanned: @Sendable () -> Void
    let clientAddress: ClientAddress
    let clock: any DaemonClock
    /// Bounds how long a body may take to arrive (`ingest.body_timeout`).
    let bodyDeadline: BodyReadDeadline
    /// Bounds the bytes of bodies held at once (`ingest.max_buffered_bytes`).
    let budget: IngestBudget
    /// One warning per reason every 10 s at most for refused deliveries.
    let refusalLog = LogThrottle(interval: .seconds(10))
    /// Whether the store is over `store.max_bytes` (refused with 503 while it is).
    let capacity: StoreCapacity
    /// The endpoints' `rate_limit` buckets.
    let rateLimiter: RateLimiter

    /// - Parameters:
    ///   - endpoints: the configured endpoints with their secrets.
    ///   - store: where accepted events go.
    ///   - rules: the rules that plan each event's jobs.
    ///   - ingest: body limits and dedup window.
    ///   - planner: plans each event (loop guard included), and reports each stored event's plan
    ///     once it has committed.
    ///   - backlog: says when planning is deferred (backpressure).
    ///   - metrics: counts deliveries by outcome and times them.
    ///   - jobsPlanned: called after a commit that created jobs (wakes the worker).
    ///   - clientAddress: how the client's address is found behind trusted proxies.
    ///   - bodyDeadline: cuts off bodies that take longer than `ingest.body_timeout` (it must run as
    ///     a service for that).
    ///   - capacity: says when the store is over `store.max_bytes` (``StoreSizeService`` samples it).
    ///   - clock: the time a delivery is received at (the start of its dedup window).
    ///   - tests: where `subscriptions test` waits for its test events (`nil` refuses them).
    public init(
        endpoints: [DaemonConfig.Endpoint], store: any EventLog, rules: ActiveRules, ingest: DaemonConfig.Ingest,
        planner: EventPlanner, backlog: Backlog, metrics: DaemonMetrics,
        jobsPlanned: @escaping @Sendable () -> Void = {},
        clientAddress: ClientAddress = ClientAddress(trustedProxies: []),
        bodyDeadline: BodyReadDeadline = BodyReadDeadline(limit: nil),
        capacity: StoreCapacity = StoreCapacity(maxBytes: nil), clock: any DaemonClock = SystemClock(),
        tests: (any SubscriptionTestLedger)? = nil
    ) {
        self.tests = tests
        self.clock = clock
        self.bodyDeadline = bodyDeadline
        self.capacity = capacity
        self.rateLimiter = RateLimiter(endpoints: endpoints)
        self.budget = IngestBudget(limit: ingest.maxBufferedBytes, metrics: metrics)
        self.clientAddress = clientAddress
        self.planner = planner
        self.backlog = backlog
        self.metrics = metrics
        self.jobsPlanned = jobsPlanned
        self.endpoints = Dictionary(
            uniqueKeysWithValues: endpoints.map {
                (
                    $0.name,
                    Endpoint(
                        name: $0.name, verifier: SignatureVerifier(mode: $0.auth, secrets: $0.secrets),
                        allowFrom: $0.allowFrom, accept: $0.accept)
                )
            })
        self.store = store
        self.rules = rules
        self.ingest = ingest
    }

    /// Adds the webhook routes to `router`.
    public func addRoutes(to router: Router<HooksRequestContext>) {
        router.post("/webhooks/:endpoint") { request, context in
            let started = ContinuousClock.now
            defer { metrics.ingestDuration(ContinuousClock.now - started) }
            do {
                if let id = request.headers[Self.testHeader] {
                    return try await self.receiveTest(request, id: id, context: context)
                }
                return try await self.receive(request, context: context).response(from: request, context: context)
            } catch let error as IngestError {
                metrics.eventReceived(
                    endpoint: context.parameters.get("endpoint") ?? "", domain: nil, outcome: .rejected,
                    reason: error.code)
                throw error
            }
        }
        let otherMethods: [HTTPRequest.Method] = [.get, .put, .delete, .patch, .head, .options]
        for method in otherMethods {
            router.on("/webhooks/:endpoint", method: method) { _, context -> Response in
                let name = context.parameters.get("endpoint") ?? ""
                let error = self.endpoints[name] == nil ? IngestError.unknownEndpoint(name) : .methodNotAllowed
                metrics.eventReceived(endpoint: name, domain: nil, outcome: .rejected, reason: error.code)
                throw error
            }
        }
        // A URL without an endpoint name, or with more after it, gets the same JSON answer as an
        // unknown name: a delivery URL registered in Artifactory with a typo then says so.
        for method in [.post] + otherMethods {
            for path in ["/webhooks", "/webhooks/:endpoint/**"] {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    metrics.eventReceived(endpoint: "", domain: nil, outcome: .rejected, reason: "unknown_endpoint")
                    throw IngestError.unknownEndpoint("")
                }
            }
        }
    }

    func receive(_ request: Request, context: HooksRequestContext) async throws -> Acknowledgement {
        let receivedAt = clock.now
        let name = context.parameters.get("endpoint") ?? ""
        guard let endpoint = endpoints[name] else { throw IngestError.unknownEndpoint(name) }
        // The endpoint goes into each line's own metadata, not onto the logger: a logger's
        // metadata changed per delivery makes log handlers render it again each time.
        let logger = context.logger
        let source = clientAddress.resolve(
            peer: Self.address(context.remoteAddress), forwardedFor: request.headers[values: Self.forwardedForHeader])
        if !endpoint.allowFrom.isEmpty, !(source.map { CIDRBlock.any(endpoint.allowFrom, contains: $0) } ?? false) {
            logRefusal(
                "Refused a delivery from an address outside allow_from", code: "forbidden_source", source, name,
                logger)
            throw IngestError.forbiddenSource
        }
        // Refused before the body is read: nothing of it could be stored.
        if capacity.isFull {
            logRefusal(
                "Refused a delivery: the event store is over store.max_bytes", code: "store_full", source, name,
                logger)
            throw IngestError.storeFull
        }

        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw IngestError.unsupportedMediaType
        }
        let declaredLength = request.headers[.contentLength].flatMap(Int.init)
        if let declaredLength, declaredLength > ingest.maxBodyBytes {
            throw IngestError.tooLarge(limit: ingest.maxBodyBytes)
        }
        // A missing or malformed signature, or a wrong token, is refused before a byte of the body
        // is read.
        guard let check = endpoint.verifier.begin(header: request.headers[Self.authHeader]) else {
            logRefusal(
                "Rejected a delivery with a missing or invalid signature", code: "unauthorized", source, name, logger)
            throw IngestError.unauthorized
        }
        return try await budget.withReservation { reservation in
            let body: [UInt8]
            do {
                body = try await bodyDeadline.read(channel: context.channel) {
                    try await readBody(request.body, declaredLength: declaredLength, check: check, into: &reservation)
                }
            } catch is BodyDeadlinePassed {
                logRefusal(
                    "Refused a delivery whose body did not arrive in time", code: "body_timeout", source, name, logger)
                // The connection is closed already; the error is for the metrics.
                throw IngestError.bodyTimeout(ingest.bodyTimeout ?? .zero)
            } catch let error as IngestError where error.code == IngestError.overBudget.code {
                logRefusal(
                    "Refused a delivery: the bodies in progress fill ingest.max_buffered_bytes", code: error.code,
                    source, name, logger)
                throw error
            }
            guard check.finish() else {
                logRefusal(
                    "Rejected a delivery with a missing or invalid signature", code: "unauthorized", source, name,
                    logger)
                throw IngestError.unauthorized
            }
            // After the signature: a forged flood takes no token from the real sender's budget.
            if let wait = rateLimiter.admit(name) {
                logRefusal(
                    "Refused a delivery over the endpoint's rate_limit", code: "rate_limited", source, name, logger)
                throw IngestError.rateLimited(retryAfter: wait)
            }
            return try await accept(
                body, endpoint: endpoint, source: source, receivedAt: receivedAt, logger: logger)
        }
    }

    /// Decodes a verified body, stores it with its plan and says so (design.md steps 3–6); catch-up
    /// stores what it reads back through here too, as `arrival`, with its own `dedupWindow`.
    func accept(
        _ body: [UInt8], endpoint: Endpoint, source: String?, receivedAt: Date, arrival: EventArrival = .delivery,
        dedupWindow: Duration? = nil, logger: Logger
    ) async throws -> Acknowledgement {
        let name = endpoint.name
        let event: WebhookEvent
        do {
            event = try WebhookEvent(body: body)
        } catch {
            logger.debug(
                "Rejected a delivery that is not an event",
                metadata: ["endpoint": .string(name), "error.code": .string(error.code)])
            throw IngestError.badEvent(code: error.code, message: error.message)
        }

        // An event the endpoint's accept: does not take is stored, with why, and never planned.
        let ignored = endpoint.accept?.rejection(of: event)
        let new = NewEvent(
            receivedAt: receivedAt, endpoint: name, event: event, body: body, sourceAddress: source, ignored: ignored,
            arrival: arrival)
        // One complete rule set plans this event, even if a reload swaps another in meanwhile.
        let ruleSet = rules.current
        // Backpressure: the event is stored and acknowledged, and planned once the backlog shrinks.
        let deferPlanning = ignored == nil && backlog.beginIngest()
        // Which rules take the event is found here, in parallel with other deliveries; the
        // insert's transaction, on the store's single writer, only renders their calls.
        let matching = deferPlanning || ignored != nil ? RuleMatch.none : ruleSet.matching(event)
        let result: IngestResult
        let commitStarted = ContinuousClock.now
        do {
            result = try await store.insert(new, dedupWindow: dedupWindow ?? ingest.dedupWindow) {
                [planner] eventID, selfCause in
                if ignored != nil { return .empty }
                if deferPlanning { return .deferred }
                return planner.plan(
                    event, rules: ruleSet, matching: matching, eventID: eventID, now: receivedAt,
                    selfCaused: selfCause != nil, hop: selfCause?.hop ?? 0)
            }
        } catch {
            _ = backlog.finishIngest(deferred: deferPlanning, stored: false, planned: 0)
            logger.error(
                "Could not store an event; answered 503",
                metadata: [
                    "endpoint": .string(name), "event.kind": .string(event.kind.description),
                    "error": .string("\(error)"),
                ])
            throw IngestError.storeUnavailable
        }
        metrics.storeCommitDuration(ContinuousClock.now - commitStarted)
        // Once per stored event, from what committed: the store may have planned it more than once.
        planner.report(result.plan, eventID: result.eventID)
        if arrival == .catchUp {
            metrics.caughtUp(endpoint: name, outcome: result.isDuplicate ? .duplicate : .accepted)
        } else {
            metrics.eventReceived(
                endpoint: name, domain: event.kind.domain,
                outcome: result.isDuplicate ? .duplicate : ignored == nil ? .accepted : .ignored)
        }
        if deferPlanning, !result.isDuplicate { metrics.eventDeferred() }
        BacklogService.log(
            backlog.finishIngest(
                deferred: deferPlanning, stored: !result.isDuplicate, planned: result.plan.liveJobCount),
            limit: backlog.limit, logger: logger)
        if result.plan.liveJobCount > 0 { jobsPlanned() }
        logger.debug(
            "Stored event",
            metadata: [
                "endpoint": .string(name), "event.id": .stringConvertible(result.eventID),
                "event.kind": .string(event.kind.description),
                "event.duplicate": .stringConvertible(result.isDuplicate),
                "event.planned": .stringConvertible(result.planned),
                "event.deferred": .stringConvertible(deferPlanning && !result.isDuplicate),
                "event.ignored": .stringConvertible(ignored != nil),
            ])
        return Acknowledgement(
            eventID: result.eventID, duplicate: result.isDuplicate, planned: result.planned,
            ignored: ignored != nil && !result.isDuplicate)
    }

    /// Logs a refused delivery, at most once per reason every 10 s, with how many were not logged.
    func logRefusal(_ message: Logger.Message, code: String, _ source: String?, _ endpoint: String, _ logger: Logger) {
        guard let suppressed = refusalLog.admit(code) else { return }
        logger.warning(
            message,
            metadata: [
                "endpoint": .string(endpoint), "source.address": .string(source ?? "-"), "error.code": .string(code),
                "log.suppressed": .stringConvertible(suppressed),
            ])
    }

    static let authHeader = HTTPField.Name(SignatureVerifier.headerName)!
    static let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

    /// `application/json`, `application/*+json`, with or without parameters, in any case.
    ///
    /// Works on the header's bytes: this runs for every delivery, and Foundation's trimming and
    /// lowercasing cost more than the check. Any header, even `;` or an empty one, gets an answer.
    public static func isJSON(_ contentType: String) -> Bool {
        let bytes = contentType.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        var mediaType = bytes[bytes.startIndex..<end]
        while let first = mediaType.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            mediaType.removeFirst()
        }
        while let last = mediaType.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            mediaType.removeLast()
        }
        let lowered = mediaType.lazy.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        let type = "application/".utf8
        let suffix = "+json".utf8
        guard lowered.starts(with: type) else { return false }
        let subtype = lowered.dropFirst(type.count)
        return subtype.elementsEqual("json".utf8)
            || (subtype.count >= suffix.count && subtype.dropFirst(subtype.count - suffix.count).elementsEqual(suffix))
    }

    static func address(_ address: SocketAddress?) -> String? {
        address?.ipAddress
    }
}
