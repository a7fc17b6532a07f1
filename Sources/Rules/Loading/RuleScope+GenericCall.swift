import ArtifactoryRequests
import YAMLDiagnostics
import Yams

/// `artifactory: {…}` and `platform: {…}`: a call the rule spells out.
extension RuleScope {
    static var genericCallKeys: [String] { RuleFileSchema.genericCall.keyNames }

    /// Reads the call's mapping; reports every mistake in it, and `nil` when the call cannot be made.
    func readGenericCall(_ node: YAMLNode, kind: PlannedAction.Kind) -> GenericCall? {
        guard let map = YAMLMappingReader(node, in: document) else { return nil }
        map.rejectUnknownKeys(Self.genericCallKeys)
        let base: ArtifactoryRequest.Base = kind == .platform ? .platform : .artifactory
        let method = readMethod(map.value("method"), kind: kind, at: node)
        let segments = readCallPath(map.value("path"), kind: kind, at: node)
        let query = map.value("query").flatMap(readQuery) ?? []
        var body: GenericCall.Body?
        if let bodyNode = map.value("body") {
            if bodyNode.scalar != nil, !bodyNode.isNull {
                body = readTemplate(bodyNode, what: "a body").map { .text($0) }
            } else if bodyNode.entries != nil || bodyNode.items != nil {
                body = readJSON(bodyNode).map { .json($0) }
            } else {
                document.report("expected a mapping (sent as JSON) or a text, found \(bodyNode.typeName)", at: bodyNode)
            }
        }
        let contentType = map.value("content_type").flatMap(readContentType)
        if contentType != nil, map.value("body") == nil {
            document.report("a content type needs a body:; this call has none", at: map.value("content_type"))
        }
        guard let method, let segments else { return nil }
        return GenericCall(
            base: base, method: method, segments: segments, query: query, body: body, contentType: contentType)
    }

    func readMethod(_ node: YAMLNode?, kind: PlannedAction.Kind, at call: YAMLNode) -> GenericCall.Method? {
        let names = GenericCall.methods.map(\.rawValue)
        guard let node else {
            document.report("\(kind) needs method: (\(names.joined(separator: ", ")))", at: call)
            return nil
        }
        guard let text = node.scalar, let method = ArtifactoryRequest.Method(rawValue: text.uppercased()),
            GenericCall.methods.contains(method)
        else {
            document.report(
                "\"\(node.scalar ?? node.typeName)\" is not one of \(names.joined(separator: ", "))", at: node)
            return nil
        }
        return method
    }

    /// The path's segments, split on the `/` written in the rule. Everything that could make the
    /// path leave its base, or that the daemon writes itself, is reported with what to write.
    func readCallPath(_ node: YAMLNode?, kind: PlannedAction.Kind, at call: YAMLNode) -> [Template]? {
        let (example, base) =
            switch kind {
            case .platform: ("lifecycle/api/v2/…", "the JFrog Platform's base URL")
            case .http: ("hooks/deploy", "the target's base URL")
            default: ("api/…", "the Artifactory base URL")
            }
        guard let node else {
            document.report("\(kind) needs path: with the API path relative to \(base), such as \(example)", at: call)
            return nil
        }
        guard let text = node.scalar, !node.isNull, !text.isEmpty else {
            document.report("expected an API path such as \(example), found \(node.typeName)", at: node)
            return nil
        }
        let literal = Self.literalText(text)
        if literal.contains("://") || literal.lowercased().hasPrefix("http:")
            || literal.lowercased().hasPrefix("https:")
        {
            document.report(
                "\"\(text)\" is a URL; write the path relative to \(base), such as \(example) "
                    + "(the call never goes to another host)", at: node)
            return nil
        }
        if text.hasPrefix("/") {
            let relative = String(text.drop { $0 == "/" })
            document.report(
                "\"\(text)\" starts with \"/\"; write it relative to \(base): \"\(relative)\"", at: node)
            return nil
        }
        if literal.contains("?") {
            document.report("a path cannot hold \"?\"; give query parameters under query:", at: node)
            return nil
        }
        if literal.contains("#") {
            document.report("a path cannot hold \"#\"; a request has no fragment", at: node)
            return nil
        }
        if literal.contains("%") {
            document.report(
                "a path cannot hold \"%\"; write the path unencoded, each segment is percent-encoded when sent",
                at: node)
            return nil
        }
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        if pieces.dropLast().contains(where: \.isEmpty) {
            document.report("\"\(text)\" has an empty segment (\"//\"); write one \"/\" between segments", at: node)
            return nil
        }
        // The whole path is read once, so its fields are checked against the rule's kinds.
        guard readTemplate(node, what: "an API path") != nil else { return nil }
        var segments: [Template] = []
        for piece in pieces where !piece.isEmpty {
            if piece == "." || piece == ".." {
                document.report("\"\(text)\" has a \"\(piece)\" segment; a call never leaves \(base)", at: node)
                return nil
            }
            guard let segment = try? Template(String(piece)) else {
                document.report("\"\(text)\": a \"/\" inside {{ … }} cannot split the path", at: node)
                return nil
            }
            segments.append(segment)
        }
        return segments
    }

    /// `text` without its `{{ … }}` parts, for checks on what the rule writes literally.
    private static func literalText(_ text: String) -> String {
        (try? Template(text))?.skeleton(placeholder: "x") ?? text
    }

    func readQuery(_ node: YAMLNode) -> [(name: String, value: Template)]? {
        guard let entries = node.entries else {
            document.report("expected a mapping of parameter names to values, found \(node.typeName)", at: node)
            return nil
        }
        var query: [(name: String, value: Template)] = []
        for entry in entries {
            if entry.key.isEmpty || entry.key.contains("{{") {
                document.report(
                    "query parameter names are literal and not empty; templates go in values", at: entry.keyNode)
                continue
            }
            guard entry.value.scalar != nil, !entry.value.isNull else {
                document.report("a query parameter takes one value, found \(entry.value.typeName)", at: entry.value)
                continue
            }
            if let value = readTemplate(entry.value, what: "a query value") { query.append((entry.key, value)) }
        }
        return query
    }

    /// A YAML mapping or list as a JSON template: plain `true`, `false`, `null` and numbers stay
    /// JSON literals, every other scalar is a templated JSON string.
    func readJSON(_ node: YAMLNode) -> GenericCall.JSONTemplate? {
        if let entries = node.entries {
            var members: [(key: String, value: GenericCall.JSONTemplate)] = []
            for entry in entries {
                if entry.key.contains("{{") {
                    document.report("body keys are literal; templates go in values", at: entry.keyNode)
                    continue
                }
                if let value = readJSON(entry.value) { members.append((entry.key, value)) }
            }
            return .object(members)
        }
        if let items = node.items { return .array(items.compactMap(readJSON)) }
        guard case .scalar(let scalar) = node.node else {
            document.report("a body value cannot be \(node.typeName)", at: node)
            return nil
        }
        if scalar.style == .plain {
            if node.isNull { return .literal("null") }
            if ["true", "false"].contains(scalar.string) || Self.isJSONNumber(scalar.string) {
                return .literal(scalar.string)
            }
        }
        if scalar.string.isEmpty { return .literal("\"\"") }
        return readTemplate(node, what: "a body value").map { .string($0) }
    }

    /// Whether `text` is a number as JSON writes one (`-1`, `0.5`, `2e3`).
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let leadingZero = bytes.first == UInt8(ascii: "0")
        let integer = digits()
        guard integer > 0, !(leadingZero && integer > 1) else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    func readContentType(_ node: YAMLNode) -> String? {
        guard let text = node.scalar, !node.isNull, text.contains("/"), !text.contains("{{"),
            text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F })
        else {
            document.report(
                "expected a literal media type such as application/json or text/plain", at: node)
            return nil
        }
        return text
    }
}
