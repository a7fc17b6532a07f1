/// A JSON value that keeps numbers exactly as they were written, so large integers such as a
/// `transaction_id` never lose digits on their way through the daemon.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as its literal text (`"123456789012345678901"`, `"1.5e3"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The object's members, or `nil` when this is not an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements, or `nil` when this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The string, or `nil` when this is not a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A scalar rendered as text: strings as they are, numbers in their literal form, booleans as
    /// `true`/`false`. `nil` for null, arrays and objects.
    public var scalarText: String? {
        switch self {
        case .string(let text): return text
        case .number(let literal): return literal
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    /// An exact integer when this is a number without fraction that fits in 64 bits.
    public var int64Value: Int64? {
        switch self {
        case .number(let literal): return Int64(literal)
        case .string(let text): return Int64(text)
        default: return nil
        }
    }
}
