import ArtifactoryRequests
import YAMLDiagnostics
import Yams

/// `http: {…}`: a call to an outbound target of the config. The rule names the target; the URL,
/// the credential and the signature come from the config, so no event value can choose a host.
extension RuleScope {
    static var httpCallKeys: [String] { RuleFileSchema.httpCall.keyNames }

    /// Headers a rule may not set: the client writes them (credential, signature, framing), or they
    /// are hop-by-hop.
    static let reservedHeaders: Set<String> = [
        "authorization", "proxy-authorization", "host", "content-length", "content-type", "transfer-encoding",
        "connection", "keep-alive", "te", "trailer", "upgrade", "expect", "cookie", "webhook-id",
        "webhook-timestamp", "webhook-signature",
    ]

    /// Reads the call's mapping; reports every mistake in it, and `nil` when the call cannot be made.
    func readHTTPCall(_ node: YAMLNode) -> GenericCall? {
        guard let map = YAMLMappingReader(node, in: document) else { return nil }
        map.rejectUnknownKeys(Self.httpCallKeys)
        let target = readTargetName(map.value("target"), at: node)
        let method = readMethod(map.value("method"), kind: .http, at: node)
        // Without a path the call goes to the target's URL itself (an incoming-webhook URL).
        let segments = map.value("path") == nil ? [] : readCallPath(map.value("path"), kind: .http, at: node)
        let query = map.value("query").flatMap(readQuery) ?? []
        var body: GenericCall.Body?
        if let json = map.value("json") {
            if json.entries != nil || json.items != nil {
                body = readJSON(json).map { .json($0) }
            } else if json.scalar == "event" {
                body = .event
            } else {
                document.report(
                    "json: takes a mapping or a list (sent as JSON), or event (the event itself), found \(json.typeName)",
                    at: json)
            }
            if let text = map.value("body") {
                document.report("give json: or body:, not both", at: text)
            }
        } else if let text = map.value("body") {
            if text.scalar != nil, !text.isNull {
                body = readTemplate(text, what: "a body").map { .text($0) }
            } else {
                document.report("body: takes a text; give a mapping under json:", at: text)
            }
        }
        let contentType = map.value("content_type").flatMap(readContentType)
        if contentType != nil, body == nil {
            document.report("a content type needs json: or body:; this call has none", at: map.value("content_type"))
        }
        let headers = map.value("headers").map(readHeaders) ?? []
        guard let target, let method, let segments else { return nil }
        var call = GenericCall(
            base: .target, method: method, segments: segments, query: query, body: body, contentType: contentType)
        call.target = target
        call.headers = headers
        return call
    }

    private func readTargetName(_ node: YAMLNode?, at call: YAMLNode) -> GenericCall.TargetName? {
        guard let node else {
            document.report("http needs target: with the name of a target of the config's targets:", at: call)
            return nil
        }
        guard let name = node.scalar, !node.isNull, !name.isEmpty, !name.contains("{{") else {
            document.report("target: takes the literal name of a configured target", at: node)
            return nil
        }
        let mark = node.node.mark
        return GenericCall.TargetName(
            name: name, file: document.file, line: mark?.line ?? 1, column: mark?.column ?? 1, keyPath: node.keyPath)
    }

    private func readHeaders(_ node: YAMLNode) -> [(name: String, value: Template)] {
        guard let entries = node.entries else {
            document.report("expected a mapping of header names to values, found \(node.typeName)", at: node)
            return []
        }
        var headers: [(name: String, value: Template)] = []
        for entry in entries {
            guard Self.isToken(entry.key) else {
                document.report(
                    "a header name is literal: letters, digits and !#$%&'*+-.^_`|~; templates go in values",
                    at: entry.keyNode)
                continue
            }
            if Self.reservedHeaders.contains(entry.key.lowercased()) {
                let why =
                    entry.key.lowercased() == "content-type"
                    ? "give content_type: instead" : "the daemon writes it (credential, signature or framing)"
                document.report("a rule cannot set header \(entry.key); \(why)", at: entry.keyNode)
                continue
            }
            guard entry.value.scalar != nil, !entry.value.isNull else {
                document.report("a header takes one value, found \(entry.value.typeName)", at: entry.value)
                continue
            }
            if let value = readTemplate(entry.value, what: "a header value") { headers.append((entry.key, value)) }
        }
        return headers
    }

    /// Whether `text` is an HTTP token (RFC 9110 5.6.2): a valid header name.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
            }
    }
}
