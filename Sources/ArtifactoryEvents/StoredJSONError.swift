/// A record the daemon stored as JSON (a job's request or expected events) does not read back.
public struct StoredJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong: `not JSON: …`, `missing "path"`.
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }

    /// Parses `json`, turning a parse failure into this error.
    public static func parse(_ json: String) throws(StoredJSONError) -> JSONValue {
        do {
            return try JSONParser.parse(json.utf8)
        } catch {
            throw StoredJSONError("not JSON: \(error)")
        }
    }

    /// The string member `key` of `object`; throws when it is missing or not a string.
    public static func string(_ key: String, in object: [String: JSONValue]) throws(StoredJSONError) -> String {
        guard let value = object[key]?.stringValue else { throw StoredJSONError("missing \"\(key)\"") }
        return value
    }

    /// The string member `key` of `object`, `nil` when missing or null; throws when it is another type.
    public static func optionalString(_ key: String, in object: [String: JSONValue]) throws(StoredJSONError)
        -> String?
    {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw StoredJSONError("\"\(key)\" is not a string")
        }
    }
}
