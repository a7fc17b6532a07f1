import ArtifactoryEvents

/// The condition as kept in a job row, inside its request's `require` member:
/// a test is `{"field":"item.properties.locked","test":MATCHER}`, a combination `{"all":[…]}`,
/// `{"any":[…]}` or `{"not":…}`. A matcher is a JSON string (exact text), `{"glob":"…"}`,
/// `{"matches":"…"}`, `{"min":N,"max":N}` (either may be absent), a list (any of), or `{"not":…}`.
extension GuardCondition {
    var storedJSON: String {
        switch self {
        case .test(let field, let matcher):
            var out = "{\"field\":"
            JSONObjectWriter.appendQuoted(field.description, to: &out)
            return out + ",\"test\":" + matcher.storedJSON + "}"
        case .all(let conditions): return "{\"all\":[" + conditions.map(\.storedJSON).joined(separator: ",") + "]}"
        case .any(let conditions): return "{\"any\":[" + conditions.map(\.storedJSON).joined(separator: ",") + "]}"
        case .not(let inner): return "{\"not\":" + inner.storedJSON + "}"
        }
    }

    init(stored value: JSONValue) throws(StoredJSONError) {
        guard let object = value.objectValue else { throw StoredJSONError("a guard condition is not an object") }
        if let key = object["field"]?.stringValue {
            guard let field = GuardField(key: key) else { throw StoredJSONError("unknown guard field \"\(key)\"") }
            guard let test = object["test"] else { throw StoredJSONError("a guard test has no \"test\"") }
            self = .test(field, try ValueMatcher(stored: test))
        } else if case .array(let items)? = object["all"] {
            self = .all(try Self.list(items))
        } else if case .array(let items)? = object["any"] {
            self = .any(try Self.list(items))
        } else if let inner = object["not"] {
            self = .not(try GuardCondition(stored: inner))
        } else {
            throw StoredJSONError("unknown guard condition")
        }
    }

    private static func list(_ items: [JSONValue]) throws(StoredJSONError) -> [GuardCondition] {
        var conditions: [GuardCondition] = []
        for item in items { conditions.append(try GuardCondition(stored: item)) }
        return conditions
    }
}

extension ValueMatcher {
    var storedJSON: String {
        func quoted(_ text: String) -> String {
            var out = ""
            JSONObjectWriter.appendQuoted(text, to: &out)
            return out
        }
        switch self {
        case .exact(let text): return quoted(text)
        case .glob(let glob): return "{\"glob\":" + quoted(glob.pattern) + "}"
        case .regex(let regex): return "{\"matches\":" + quoted(regex.source) + "}"
        case .range(let min, let max):
            let members = [min.map { "\"min\":\($0)" }, max.map { "\"max\":\($0)" }].compactMap { $0 }
            return "{" + members.joined(separator: ",") + "}"
        case .anyOf(let matchers): return "[" + matchers.map(\.storedJSON).joined(separator: ",") + "]"
        case .not(let inner): return "{\"not\":" + inner.storedJSON + "}"
        }
    }

    init(stored value: JSONValue) throws(StoredJSONError) {
        switch value {
        case .string(let text):
            self = .exact(text)
        case .array(let items):
            var matchers: [ValueMatcher] = []
            for item in items { matchers.append(try ValueMatcher(stored: item)) }
            self = .anyOf(matchers)
        case .object(let object):
            if let pattern = object["glob"]?.stringValue {
                do { self = .glob(try Glob(pattern)) } catch { throw StoredJSONError("bad glob \"\(pattern)\"") }
            } else if let source = object["matches"]?.stringValue {
                do {
                    self = .regex(try RegexPattern(source))
                } catch {
                    throw StoredJSONError("bad regular expression \"\(source)\"")
                }
            } else if let inner = object["not"] {
                self = .not(try ValueMatcher(stored: inner))
            } else if object["min"] != nil || object["max"] != nil {
                self = .range(min: object["min"]?.int64Value, max: object["max"]?.int64Value)
            } else {
                throw StoredJSONError("unknown guard test")
            }
        default:
            throw StoredJSONError("unknown guard test")
        }
    }
}
