public import ArtifactoryEvents
import ArtifactoryRequests

extension PlannedAction {
    /// The request as kept in its job row: the text `JSONEncoder` gives with `.sortedKeys` and
    /// `.withoutEscapingSlashes` (snake_case keys, `body` and `content_type` left out when `nil`,
    /// `base` left out for ``ArtifactoryRequest/Base/artifactory``), written without it. An `http`
    /// call adds `"base":"target"`, `"target":NAME` and, when the rule sets headers, `"headers"`:
    /// a flat list `[name, value, name, value…]`. The expected effects are stored apart.
    public var storedJSON: String {
        var object = JSONObjectWriter()
        object.integer("action_index", actionIndex)
        object.string("base", request.base == .artifactory ? nil : request.base.rawValue)
        object.string("body", request.body)
        object.string("content_type", request.contentType)
        object.string("for_each", expansion?.storedJSON)
        if !request.headers.isEmpty { object.strings("headers", request.headers.flatMap { [$0.name, $0.value] }) }
        object.string("kind", kind.rawValue)
        object.string("method", request.method.rawValue)
        object.string("path", request.pathAndQuery)
        object.string("require", requirement?.storedJSON)
        object.string("rule", rule)
        object.string("subject", subject)
        object.string("target", request.target)
        return object.finished
    }

    /// Reads back a request written by ``storedJSON``; its `effects` are empty.
    public init(storedJSON json: String) throws(StoredJSONError) {
        guard let object = try StoredJSONError.parse(json).objectValue else {
            throw StoredJSONError("the request is not a JSON object")
        }
        guard let index = object["action_index"]?.int64Value.flatMap({ Int(exactly: $0) }) else {
            throw StoredJSONError("missing \"action_index\"")
        }
        let kindText = try StoredJSONError.string("kind", in: object)
        guard let kind = Kind(rawValue: kindText) else { throw StoredJSONError("unknown kind \"\(kindText)\"") }
        let methodText = try StoredJSONError.string("method", in: object)
        guard let method = ArtifactoryRequest.Method(rawValue: methodText), Self.plannedMethods.contains(method) else {
            throw StoredJSONError("unknown method \"\(methodText)\"")
        }
        // Rows written before there was a platform base have no "base": they are Artifactory calls.
        let baseText =
            try StoredJSONError.optionalString("base", in: object) ?? ArtifactoryRequest.Base.artifactory.rawValue
        guard let base = ArtifactoryRequest.Base(rawValue: baseText) else {
            throw StoredJSONError("unknown base \"\(baseText)\"")
        }
        let target = try StoredJSONError.optionalString("target", in: object)
        guard (base == .target) == (target != nil) else {
            throw StoredJSONError("\"target\" goes with \"base\":\"target\" and only with it")
        }
        let request = ArtifactoryRequest(
            method: method, pathAndQuery: try StoredJSONError.string("path", in: object),
            body: try StoredJSONError.optionalString("body", in: object),
            contentType: try StoredJSONError.optionalString("content_type", in: object), base: base, target: target,
            headers: try Self.storedHeaders(object["headers"]))
        let expansion = try StoredJSONError.optionalString("for_each", in: object).map {
            (json: String) throws(StoredJSONError) in try Expansion(storedJSON: json)
        }
        self.init(
            rule: try StoredJSONError.string("rule", in: object), actionIndex: index, kind: kind,
            subject: try StoredJSONError.string("subject", in: object), request: request, expansion: expansion)
        // Rows written before guards existed have no "require".
        requirement = try StoredJSONError.optionalString("require", in: object).map {
            (json: String) throws(StoredJSONError) in try ActionGuard(storedJSON: json)
        }
    }

    /// The `headers` member: absent, or a flat list of strings of even length.
    private static func storedHeaders(_ value: JSONValue?) throws(StoredJSONError) -> [ArtifactoryRequest.Header] {
        guard let value else { return [] }
        guard case .array(let items) = value, items.count % 2 == 0 else {
            throw StoredJSONError("\"headers\" is not a list of names and values")
        }
        var headers: [ArtifactoryRequest.Header] = []
        var index = 0
        while index < items.count {
            guard let name = items[index].stringValue, let text = items[index + 1].stringValue else {
                throw StoredJSONError("\"headers\" holds a value that is not a string")
            }
            headers.append(.init(name: name, value: text))
            index += 2
        }
        return headers
    }

    /// The methods planned actions use; a stored request with another one was not written by
    /// planning and is refused.
    static let plannedMethods: Set<ArtifactoryRequest.Method> = [.get, .put, .post, .patch, .delete]
}
