import ArtifactoryEvents
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
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
    }

    let endpoints: [String: Endpoint]
    let store: any EventStore
    let rules: ActiveRules
    let ingest: DaemonConfig.Ingest
    let maxHops: Int
    let jobsPlanned: @Sendable () -> Void
    let clientAddress: ClientAddress
    /// One warning per reason every 10 s at most for refused deliveries.
    let refusalLog = LogThrottle(interval: .seconds(10))

    /// - Parameters:
    ///   - endpoints: the configured endpoints with their secrets.
    ///   - store: where accepted events go.
    ///   - rules: the rules that plan each event's jobs.
    ///   - ingest: body limit and dedup window.
    ///   - maxHops: the loop guard's limit on chains of self-caused events.
    ///   - jobsPlanned: called after a commit that created jobs (wakes the worker).
    ///   - clientAddress: how the client's address is found behind trusted proxies.
    public init(
        endpoints: [DaemonConfig.Endpoint], store: any EventStore, rules: ActiveRules, ingest: DaemonConfig.Ingest,
        maxHops: Int = 3, jobsPlanned: @escaping @Sendable () -> Void = {},
        clientAddress: ClientAddress = ClientAddress(trustedProxies: [])
    ) {
        self.clientAddress = clientAddress
        self.maxHops = maxHops
        self.jobsPlanned = jobsPlanned
        self.endpoints = Dictionary(
            uniqueKeysWithValues: endpoints.map {
                (
                    $0.name,
                    Endpoint(
                        name: $0.name, verifier: SignatureVerifier(mode: $0.auth, secrets: $0.secrets),
                        allowFrom: $0.allowFrom)
                )
            })
        self.store = store
        self.rules = rules
        self.ingest = ingest
    }

    /// Adds the webhook routes to `router`.
    public func addRoutes(to router: Router<HooksRequestContext>) {
        router.post("/webhooks/:endpoint") { request, context in
            try await self.receive(request, context: context)
        }
        for method in [HTTPRequest.Method.get, .put, .delete, .patch, .head] {
            router.on("/webhooks/:endpoint", method: method) { _, context -> Response in
                let name = context.parameters.get("endpoint") ?? ""
                guard self.endpoints[name] != nil else { throw IngestError.unknownEndpoint(name) }
                throw IngestError.methodNotAllowed
            }
        }
    }

    /// The JSON body of a `202 Accepted`.
    struct Acknowledgement: ResponseEncodable {
        let event_id: Int64
        let duplicate: Bool
        let planned: Int
    }

    func receive(_ request: Request, context: HooksRequestContext) async throws -> EditedResponse<Acknowledgement> {
        let receivedAt = Date()
        let name = context.parameters.get("endpoint") ?? ""
        guard let endpoint = endpoints[name] else { throw IngestError.unknownEndpoint(name) }
        var logger = context.logger
        logger[metadataKey: "endpoint"] = .string(name)
        let source = clientAddress.resolve(
            peer: Self.address(context.remoteAddress), forwardedFor: request.headers[values: Self.forwardedForHeader])
        if !endpoint.allowFrom.isEmpty, !(source.map { CIDRBlock.any(endpoint.allowFrom, contains: $0) } ?? false) {
            logRefusal(
                "Refused a delivery from an address outside allow_from", code: "forbidden_source", source, logger)
            throw IngestError.forbiddenSource
        }

        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw IngestError.unsupportedMediaType
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > ingest.maxBodyBytes {
            throw IngestError.tooLarge(limit: ingest.maxBodyBytes)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: ingest.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw IngestError.tooLarge(limit: ingest.maxBodyBytes)
        }
        let body = Array(buffer.readableBytesView)

        guard endpoint.verifier.verify(header: request.headers[Self.authHeader], body: body) else {
            logRefusal("Rejected a delivery with a missing or invalid signature", code: "unauthorized", source, logger)
            throw IngestError.unauthorized
        }

        let event: WebhookEvent
        do {
            event = try WebhookEvent(body: body)
        } catch {
            logger.debug("Rejected a delivery that is not an event", metadata: ["error.code": .string(error.code)])
            throw IngestError.badEvent(code: error.code, message: error.message)
        }

        let new = NewEvent(
            receivedAt: receivedAt, endpoint: name, event: event, body: body,
            sourceAddress: source)
        // One complete rule set plans this event, even if a reload swaps another in meanwhile.
        let ruleSet = rules.current
        let result: IngestResult
        do {
            result = try await store.insert(new, dedupWindow: ingest.dedupWindow) { [maxHops] eventID, selfCause in
                let context = PlanContext(
                    eventID: eventID, now: receivedAt, selfCaused: selfCause != nil, hop: selfCause?.hop ?? 0,
                    hopLimit: maxHops)
                return EventPlan(ruleSet.plan(event, context: context))
            }
        } catch {
            logger.error(
                "Could not store an event; answered 503",
                metadata: ["event.kind": .string(event.kind.description), "error": .string("\(error)")])
            throw IngestError.storeUnavailable
        }
        if result.planned > 0 { jobsPlanned() }
        logger.debug(
            "Stored event",
            metadata: [
                "event.id": .stringConvertible(result.eventID), "event.kind": .string(event.kind.description),
                "event.duplicate": .stringConvertible(result.isDuplicate),
                "event.planned": .stringConvertible(result.planned),
            ])
        return EditedResponse(
            status: .accepted,
            response: Acknowledgement(event_id: result.eventID, duplicate: result.isDuplicate, planned: result.planned))
    }

    /// Logs a refused delivery, at most once per reason every 10 s, with how many were not logged.
    func logRefusal(_ message: Logger.Message, code: String, _ source: String?, _ logger: Logger) {
        guard let suppressed = refusalLog.admit(code) else { return }
        logger.warning(
            message,
            metadata: [
                "source.address": .string(source ?? "-"), "error.code": .string(code),
                "log.suppressed": .stringConvertible(suppressed),
            ])
    }

    static let authHeader = HTTPField.Name(SignatureVerifier.headerName)!
    static let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

    /// `application/json`, `application/*+json`, with or without parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1)[0]
            .trimmingCharacters(in: .whitespaces).lowercased()
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    static func address(_ address: SocketAddress?) -> String? {
        address?.ipAddress
    }
}
