import ArtifactoryEvents
import ArtifactoryRequests
import Rules
import Testing
import YAMLDiagnostics

/// `http:` → the exact request under a named target, event values that cannot change its shape,
/// and the checks that need the config's targets.
struct HTTPCallTests {
    static let rules = """
        rules:
          - name: deploy
            on: build.promoted
            do:
              - http:
                  target: jenkins
                  method: POST
                  path: "job/{{ data.build_name }}/buildWithParameters"
                  query: { BUILD: "{{ data.build_number }}" }
                  headers: { X-Trace: "build {{ data.build_number }}" }
                  json: { name: "{{ data.build_name }}", dry: false }

        """

    static func promoted(name: String, number: String = "7") throws -> WebhookEvent {
        var quoted = ""
        JSONObjectWriter.appendQuoted(name, to: &quoted)
        var quotedNumber = ""
        JSONObjectWriter.appendQuoted(number, to: &quotedNumber)
        return try Fixtures.event(
            json:
                #"{"domain":"build","event_type":"promoted","data":{"build_name":\#(quoted),"build_number":\#(quotedNumber)}}"#
        )
    }

    func planned(name: String, number: String = "7") throws -> Plan {
        try Fixtures.rules(Self.rules).plan(try Self.promoted(name: name, number: number), context: Fixtures.context)
    }

    @Test func theRequestNamesItsTargetAndRoundTripsThroughTheStoredJSON() throws {
        let plan = try planned(name: "pay ments")
        let action = try #require(plan.actions.first)
        #expect(action.kind == .http)
        #expect(action.subject == "target:jenkins|build:pay ments#7")
        #expect(action.request.base == .target)
        #expect(action.request.target == "jenkins")
        #expect(action.request.pathAndQuery == "job/pay%20ments/buildWithParameters?BUILD=7")
        #expect(action.request.headers == [.init(name: "X-Trace", value: "build 7")])
        #expect(action.request.body == #"{"name":"pay ments","dry":false}"#)
        #expect(action.storedJSON.contains(#""headers":["X-Trace","build 7"]"#))
        #expect(action.storedJSON.contains(#""base":"target""#))
        #expect(action.storedJSON.contains(#""target":"jenkins""#))
        let read = try PlannedAction(storedJSON: action.storedJSON)
        #expect(read.request == action.request)
        #expect(read.kind == .http)
    }

    @Test("a path value cannot leave the target's base URL", arguments: ["..", ".", "a/b", "../../admin"])
    func pathStaysUnderTheBase(name: String) throws {
        let plan = try planned(name: name)
        #expect(plan.actions.isEmpty)
        #expect(plan.failures.map(\.code) == [.badPath])
    }

    @Test func anEncodedDotSegmentStaysOneSegment() throws {
        let plan = try planned(name: "%2e%2e")
        #expect(plan.actions.first?.request.pathAndQuery == "job/%252e%252e/buildWithParameters?BUILD=7")
    }

    @Test func aLineBreakInAHeaderValueFailsThePlan() throws {
        let plan = try planned(name: "a", number: "7\r\nX-Injected: 1")
        #expect(plan.actions.isEmpty)
        #expect(plan.failures.map(\.code) == [.badHeader])
    }

    @Test func aQuoteInAJSONValueStaysText() throws {
        let plan = try planned(name: #"a"}, "x": 1"#)
        #expect(plan.actions.first?.request.body == #"{"name":"a\"}, \"x\": 1","dry":false}"#)
    }

    @Test func unknownTargetsAreErrorsWithADidYouMean() throws {
        let check = RuleCheck.run([RuleSource(file: "r.yml", text: Self.rules)])
        #expect(check.errorCount == 0)
        let known = check.checkingTargets(known: ["jenkinz", "slack"])
        #expect(
            known.diagnostics.map(\.description) == [
                #"r.yml:6:19: error: rules[0].do[0].http.target: unknown target "jenkins"; did you mean "jenkinz"?"#
            ])
        let far = check.checkingTargets(known: ["slack"])
        #expect(far.diagnostics.map(\.message) == [#"unknown target "jenkins"; the config's targets are slack"#])
        let none = check.checkingTargets(known: [])
        #expect(none.diagnostics.map(\.message) == [#"unknown target "jenkins"; the config has no targets: section"#])
        #expect(check.checkingTargets(known: ["jenkins"]).diagnostics.isEmpty)
        #expect(try Fixtures.rules(Self.rules).targetNames == ["jenkins"])
    }

    @Test func mistakesAreReportedAtTheirLine() {
        let text = """
            rules:
              - name: bad
                on: build.promoted
                do:
                  - http:
                      method: POST
                      path: "https://evil.example.com/x"
                      headers: { Authorization: "Bearer x", "X {{ a }}": "v", webhook-id: "1" }
                      json: { a: 1 }
                      body: "b"
                  - http: { target: "{{ data.build_name }}", method: POST, path: "../x" }

            """
        let messages = RuleCheck.run([RuleSource(file: "b.yml", text: text)]).diagnostics.map {
            "\($0.line): \($0.message)"
        }
        #expect(messages.contains("6: http needs target: with the name of a target of the config's targets:"))
        #expect(messages.contains { $0.hasPrefix("7: \"https://evil.example.com/x\" is a URL") })
        #expect(messages.contains { $0.hasPrefix("8: a rule cannot set header Authorization") })
        #expect(messages.contains { $0.hasPrefix("8: a rule cannot set header webhook-id") })
        #expect(messages.contains { $0.hasPrefix("8: a header name is literal") })
        #expect(messages.contains("10: give json: or body:, not both"))
        #expect(messages.contains("11: target: takes the literal name of a configured target"))
        #expect(messages.contains { $0.hasPrefix("11: \"../x\" has a \"..\" segment") })
    }

    @Test func jsonEventSendsTheEventItself() throws {
        let rules = """
            rules:
              - name: forward
                on: build.*
                do:
                  - http: { target: audit, method: POST, path: "events/{{ event.domain }}", json: event }

            """
        let event = try Fixtures.event(
            json:
                #"{"domain":"build","event_type":"uploaded","data":{"build_name":"a\"}, \"x\": 1","n":123456789012345678901},"jpd_origin":"https://art"}"#
        )
        let plan = try Fixtures.rules(rules).plan(event, context: Fixtures.context)
        let action = try #require(plan.actions.first)
        #expect(action.request.pathAndQuery == "events/build")
        #expect(action.request.contentType == "application/json")
        let body = try #require(action.request.body)
        #expect(
            body
                == #"{"domain":"build","event_type":"uploaded","data":{"build_name":"a\"}, \"x\": 1","n":123456789012345678901},"jpd_origin":"https://art"}"#
        )
        // The body parses back to the event it was made from.
        let reparsed = try WebhookEvent(body: Array(body.utf8))
        #expect(reparsed == event)
    }

    @Test func jsonTakesOnlyAMappingAListOrEvent() {
        let text = """
            rules:
              - name: bad
                on: build.promoted
                do:
                  - http: { target: audit, method: POST, json: events }

            """
        let messages = RuleCheck.run([RuleSource(file: "b.yml", text: text)]).diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("json: takes a mapping or a list (sent as JSON), or event") })
    }
}
