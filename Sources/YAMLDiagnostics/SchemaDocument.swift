/// A whole file's ``SchemaNode``s, rendered as a JSON Schema (draft-07, the draft
/// yaml-language-server validates and completes with) for editors and independent validators.
public struct SchemaDocument: Sendable {
    /// The schema's title, shown by editors.
    public var title: String
    /// What the file is.
    public var description: String
    /// The file's top-level value.
    public var root: SchemaNode
    /// Named parts, referred to by ``SchemaNode/Kind/reference(_:)``, in order.
    public var definitions: [(name: String, node: SchemaNode)]

    /// A document.
    public init(
        title: String, description: String, root: SchemaNode, definitions: [(name: String, node: SchemaNode)] = []
    ) {
        self.title = title
        self.description = description
        self.root = root
        self.definitions = definitions
    }

    /// The JSON Schema, indented by two spaces, members in a fixed order, ending with a newline:
    /// the same text every time, so the shipped copy can be compared byte for byte.
    public var json: String {
        var members: [(String, JSONText)] = [
            ("$schema", .string("http://json-schema.org/draft-07/schema#")),
            ("title", .string(title)),
        ]
        members += Self.render(root, description: description).members
        if !definitions.isEmpty {
            members.append(("definitions", .object(definitions.map { ($0.name, Self.render($0.node)) })))
        }
        var text = ""
        JSONText.object(members).write(to: &text, indent: "")
        return text + "\n"
    }

    private static func render(_ node: SchemaNode, description: String? = nil) -> JSONText {
        var members: [(String, JSONText)] = []
        if let text = description ?? node.description { members.append(("description", .string(text))) }
        switch node.kind {
        case .text(let pattern):
            members.append(("type", .string("string")))
            if let pattern { members.append(("pattern", .string(pattern))) }
        case .choice(let values):
            members.append(("type", .string("string")))
            members.append(("enum", .array(values.map(JSONText.string))))
        case .scalar:
            members.append(("type", .array(["string", "number", "boolean"].map(JSONText.string))))
        case .integer(let minimum):
            members.append(("type", .string("integer")))
            if let minimum { members.append(("minimum", .number(minimum))) }
        case .boolean:
            members.append(("type", .string("boolean")))
        case .list(let element, let minItems):
            members.append(("type", .string("array")))
            members.append(("items", render(element)))
            if minItems > 0 { members.append(("minItems", .number(minItems))) }
        case .mapping(let mapping):
            members += render(mapping)
        case .anyOf(let nodes):
            members.append(("anyOf", .array(nodes.map { render($0) })))
        case .reference(let name):
            members.append(("$ref", .string("#/definitions/\(name)")))
        case .anything:
            break
        case .nothing:
            members.append(("type", .string("null")))
        }
        return .object(members)
    }

    private static func render(_ mapping: SchemaMapping) -> [(String, JSONText)] {
        var members: [(String, JSONText)] = [("type", .string("object"))]
        if !mapping.keys.isEmpty {
            members.append(("properties", .object(mapping.keys.map { ($0.name, render($0.value)) })))
        }
        if !mapping.patternKeys.isEmpty {
            members.append(("patternProperties", .object(mapping.patternKeys.map { ($0.pattern, render($0.value)) })))
        }
        members.append(("additionalProperties", mapping.otherKeys.map { render($0) } ?? .bool(false)))
        let required = mapping.keys.filter(\.required).map { JSONText.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        if mapping.minKeys > 0 { members.append(("minProperties", .number(mapping.minKeys))) }
        if !mapping.exactlyOne.isEmpty {
            let each = mapping.exactlyOne.map { JSONText.object([("required", .array([.string($0)]))]) }
            members.append(("oneOf", .array(each)))
        }
        return members
    }
}

/// A JSON value with its object members in the order given.
private indirect enum JSONText {
    case string(String)
    case number(Int)
    case bool(Bool)
    case array([JSONText])
    case object([(String, JSONText)])

    var members: [(String, JSONText)] {
        if case .object(let members) = self { return members }
        return []
    }

    func write(to text: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .string(let value): Self.quote(value, into: &text)
        case .number(let value): text += String(value)
        case .bool(let value): text += value ? "true" : "false"
        case .array(let items):
            // Short lists of scalars stay on one line, as a person would write them.
            if items.allSatisfy(\.isScalar) {
                text += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { text += ", " }
                    item.write(to: &text, indent: inner)
                }
                text += "]"
                return
            }
            text += "[\n"
            for (index, item) in items.enumerated() {
                text += inner
                item.write(to: &text, indent: inner)
                text += index == items.count - 1 ? "\n" : ",\n"
            }
            text += indent + "]"
        case .object(let members):
            guard !members.isEmpty else {
                text += "{}"
                return
            }
            text += "{\n"
            for (index, member) in members.enumerated() {
                text += inner
                Self.quote(member.0, into: &text)
                text += ": "
                member.1.write(to: &text, indent: inner)
                text += index == members.count - 1 ? "\n" : ",\n"
            }
            text += indent + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .string, .number, .bool: true
        case .array, .object: false
        }
    }

    private static func quote(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
