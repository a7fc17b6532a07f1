extension JSONValue {
    /// The value as compact JSON: object members in key order, numbers as their literal text, so
    /// parsing the text gives this value back.
    public var jsonText: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// Appends ``jsonText`` to `text`.
    public func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let literal): text += literal
        case .string(let string): JSONObjectWriter.appendQuoted(string, to: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                item.write(to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                JSONObjectWriter.appendQuoted(key, to: &text)
                text += ":"
                members[key]?.write(to: &text)
            }
            text += "}"
        }
    }
}

extension WebhookEvent {
    /// The event as a webhook body: `domain`, `event_type`, `data`, then `subscription_key`,
    /// `jpd_origin` and `source` when they were sent; the same members and values Artifactory
    /// sent (``JSONValue/jsonText``), though not its bytes.
    public var jsonText: String {
        var text = "{\"domain\":"
        JSONObjectWriter.appendQuoted(kind.domain.rawValue, to: &text)
        text += ",\"event_type\":"
        JSONObjectWriter.appendQuoted(kind.eventType, to: &text)
        text += ",\"data\":"
        data.write(to: &text)
        for (key, value) in [("subscription_key", subscriptionKey), ("jpd_origin", origin), ("source", source)] {
            guard let value else { continue }
            text += ",\"\(key)\":"
            JSONObjectWriter.appendQuoted(value, to: &text)
        }
        return text + "}"
    }
}
