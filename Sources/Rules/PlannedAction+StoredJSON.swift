public import ArtifactoryEvents

extension PlannedAction {
    /// The request as kept in its job row: the text `JSONEncoder` gives with `.sortedKeys` and
    /// `.withoutEscapingSlashes` (snake_case keys, `body` and `content_type` left out when `nil`),
    /// written without it. The expected effects are stored apart.
    public var storedJSON: String {
        var object = JSONObjectWriter()
        object.integer("action_index", actionIndex)
        object.string("body", body)
        object.string("content_type", contentType)
        object.string("kind", kind.rawValue)
        object.string("method", method.rawValue)
        object.string("path", path)
        object.string("rule", rule)
        object.string("subject", subject)
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
        guard let method = Method(rawValue: methodText) else {
            throw StoredJSONError("unknown method \"\(methodText)\"")
        }
        self.init(
            rule: try StoredJSONError.string("rule", in: object), actionIndex: index, kind: kind,
            subject: try StoredJSONError.string("subject", in: object), method: method,
            path: try StoredJSONError.string("path", in: object),
            body: try StoredJSONError.optionalString("body", in: object),
            contentType: try StoredJSONError.optionalString("content_type", in: object))
    }
}
