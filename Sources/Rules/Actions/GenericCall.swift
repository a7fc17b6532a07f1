import ArtifactoryEvents
import ArtifactoryRequests

/// `artifactory: {…}`, `platform: {…}` and `http: {…}`: a call the rule spells out, to any endpoint
/// under one of the two base URLs or under a configured outbound target's, with every event value
/// encoded where it goes.
struct GenericCall: Sendable {
    typealias Method = ArtifactoryRequest.Method

    /// A JSON body given as a YAML mapping: its shape is fixed by the rule, and template values
    /// only ever become JSON strings.
    indirect enum JSONTemplate: Sendable {
        case object([(key: String, value: JSONTemplate)])
        case array([JSONTemplate])
        /// A string, templated.
        case string(Template)
        /// `true`, `false`, `null` or a number, as JSON text.
        case literal(String)
    }

    enum Body: Sendable {
        /// Built as JSON; default content type `application/json`.
        case json(JSONTemplate)
        /// Sent as rendered; default content type `text/plain`.
        case text(Template)
        /// `json: event`: the event itself as a webhook body (``WebhookEvent/jsonText``); default
        /// content type `application/json`.
        case event
    }

    /// The methods a generic call may use.
    static let methods: [ArtifactoryRequest.Method] = [.get, .post, .put, .patch, .delete]

    /// The outbound target an `http:` call names, with where the rule names it (for `rules check`
    /// and the daemon, which know the config's targets).
    struct TargetName: Sendable, Hashable {
        var name: String
        var file: String
        var line: Int
        var column: Int
        var keyPath: String
    }

    var base: ArtifactoryRequest.Base
    /// The target, when ``base`` is ``ArtifactoryRequest/Base/target``.
    var target: TargetName?
    /// Headers of an `http:` call: literal names, templated values.
    var headers: [(name: String, value: Template)] = []
    var method: ArtifactoryRequest.Method
    /// The path's segments, split on the `/` written in the rule; each renders to one segment.
    var segments: [Template]
    /// Query parameters in the order written: literal names, templated values.
    var query: [(name: String, value: Template)]
    var body: Body?
    /// `content_type`, literal (it becomes a header); default by the body's kind.
    var contentType: String?

    /// Every template the call renders.
    var templates: [Template] {
        var all = segments + query.map(\.value) + headers.map(\.value)
        switch body {
        case .json(let json): Self.collect(json, into: &all)
        case .text(let text): all.append(text)
        case .event, nil: break
        }
        return all
    }

    private static func collect(_ json: JSONTemplate, into all: inout [Template]) {
        switch json {
        case .object(let members): for member in members { collect(member.value, into: &all) }
        case .array(let items): for item in items { collect(item, into: &all) }
        case .string(let template): all.append(template)
        case .literal: break
        }
    }

    /// The exact request for the event in `context`. A rendered segment that is `.` or `..` or
    /// holds a `/` fails the plan (`bad_path`).
    func request(_ context: RenderContext) throws(RulesError) -> ArtifactoryRequest {
        var rendered: [String] = []
        for segment in segments { rendered.append(try segment.render(context)) }
        var parameters: [(name: String, value: String)] = []
        for parameter in query { parameters.append((parameter.name, try parameter.value.render(context))) }
        var bodyText: String?
        var mediaType: String?
        switch body {
        case .json(let json):
            var text = ""
            try Self.write(json, context, to: &text)
            bodyText = text
            mediaType = "application/json"
        case .text(let template):
            bodyText = try template.render(context)
            mediaType = "text/plain"
        case .event:
            bodyText = context.event.jsonText
            mediaType = "application/json"
        case nil: break
        }
        if let contentType { mediaType = contentType }
        var renderedHeaders: [ArtifactoryRequest.Header] = []
        for header in headers {
            let value = try header.value.render(context)
            // A line break would end the header and start another one the rule never wrote.
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) else {
                throw RulesError(
                    .badHeader, "header \(header.name): the value holds a control character (a line break?)",
                    rule: context.rule)
            }
            renderedHeaders.append(.init(name: header.name, value: value))
        }
        do {
            var request = try ArtifactoryRequest.generic(
                method, base: base, segments: rendered, query: parameters, body: bodyText, contentType: mediaType)
            request.target = target?.name
            request.headers = renderedHeaders
            return request
        } catch {
            let path = segments.map(\.source).joined(separator: "/")
            let detail =
                switch error.code {
                case .separatorInSegment:
                    "a value holds a \"/\"; each value fills exactly one path segment"
                case .dotSegment: "a value is \"\(error.segment ?? error.text)\"; a path never climbs out of its base"
                case .invalidRepository: error.description
                }
            throw RulesError(.badPath, "path \"\(path)\": \(detail)", rule: context.rule)
        }
    }

    private static func write(_ json: JSONTemplate, _ context: RenderContext, to text: inout String)
        throws(RulesError)
    {
        switch json {
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                JSONObjectWriter.appendQuoted(member.key, to: &text)
                text += ":"
                try write(member.value, context, to: &text)
            }
            text += "}"
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                try write(item, context, to: &text)
            }
            text += "]"
        case .string(let template):
            JSONObjectWriter.appendQuoted(try template.render(context), to: &text)
        case .literal(let literal):
            text += literal
        }
    }
}
