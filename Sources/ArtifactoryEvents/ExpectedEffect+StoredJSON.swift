extension ExpectedEffect {
    /// `effects` as the JSON array kept in a job row: `[{"detail":"a","kind":"…","subject":"…"}]`,
    /// members sorted, `detail` left out when `nil`.
    public static func storedJSON(_ effects: [ExpectedEffect]) -> String {
        "["
            + effects.map { effect in
                var object = JSONObjectWriter()
                object.string("detail", effect.detail)
                object.string("kind", effect.kind)
                object.string("subject", effect.subject)
                return object.finished
            }.joined(separator: ",") + "]"
    }

    /// Reads back an array written by ``storedJSON(_:)`` (or by `JSONEncoder`, as older rows were).
    public static func decodeStored(_ json: String) throws(StoredJSONError) -> [ExpectedEffect] {
        guard case .array(let items) = try StoredJSONError.parse(json) else {
            throw StoredJSONError("expected events are not a JSON array")
        }
        var effects: [ExpectedEffect] = []
        effects.reserveCapacity(items.count)
        for item in items {
            guard let object = item.objectValue else { throw StoredJSONError("an expected event is not an object") }
            effects.append(
                ExpectedEffect(
                    subject: try StoredJSONError.string("subject", in: object),
                    kind: try StoredJSONError.string("kind", in: object),
                    detail: try StoredJSONError.optionalString("detail", in: object)))
        }
        return effects
    }
}
