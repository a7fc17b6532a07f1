import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing

@testable import Rules

/// Template filters: each one, chains, `default:`, their errors at load, and how a filtered value
/// still meets the AQL escaping and the path checks.
struct FilterTests {
    /// A deploy of `path` (its name the last segment) in `libs-release-local`.
    static func deploy(_ path: String) throws -> WebhookEvent {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return try Fixtures.event(
            json:
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local","path":"\#(path)","name":"\#(name)","size":3}}"#
        )
    }

    /// Plans a rule whose action sets `p` to `template` (inside a YAML single-quoted scalar, so a
    /// `'` is written `''`) on `r/x`. Docker events carry `data.tag`, deploys do not.
    static func plan(_ template: String, path: String = "libs/com/acme/app/1.0/app-1.0.jar") throws -> Plan {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: render
                on: [artifact.deployed, docker.pushed]
                do:
                  - set_properties: { p: '\(template)' }
                    repo: r
                    path: x
            """)
        return rules.plan(try deploy(path), context: Fixtures.context)
    }

    static func rendered(_ plan: Plan) -> String? {
        guard plan.failures.isEmpty, let query = plan.actions.first?.request.pathAndQuery else { return nil }
        return query.replacingOccurrences(of: "api/storage/r/x?properties=p=", with: "")
            .replacingOccurrences(of: "&recursive=0", with: "").removingPercentEncoding
    }

    @Test(arguments: [
        ("{{ data.path | dirname }}", "a/b/c.jar", "a/b"),
        ("{{ data.path | dirname | dirname }}", "a/b/c.jar", "a"),
        ("{{ data.path | basename }}", "a/b/c.jar", "c.jar"),
        ("{{ data.path | basename }}", "c.jar", "c.jar"),
        ("{{ data.path | dirname | basename }}", "a/b/c.jar", "b"),
        (#"{{ data.name | strip_suffix: ".jar" }}"#, "a/app-1.0.jar", "app-1.0"),
        (#"{{ data.name | strip_suffix: ".war" }}"#, "a/app-1.0.jar", "app-1.0.jar"),
        (#"{{ data.name | strip_prefix: "app-" }}"#, "a/app-1.0.jar", "1.0.jar"),
        (#"{{ data.name | strip_prefix: "lib-" }}"#, "a/app-1.0.jar", "app-1.0.jar"),
        ("{{ data.name | upper }}", "a/App-1.0.jar", "APP-1.0.JAR"),
        ("{{ data.name | lower }}", "a/App-1.0.JAR", "app-1.0.jar"),
        (#"{{ data.name | replace: "-", "_" }}"#, "a/app-1-0.jar", "app_1_0.jar"),
        (#"{{ data.name | replace: "aa", "a" }}"#, "a/aaaa.jar", "aa.jar"),
        (#"{{ data.name | strip_suffix: ".jar" | upper }}"#, "a/app-1.0.jar", "APP-1.0"),
        (#"{{data.name|strip_suffix:''.jar''|replace:''.'',''-''}}"#, "a/app-1.0.jar", "app-1-0"),
        (#"{{ data.path | dirname | default: "root" }}"#, "c.jar", "root"),
        (#"{{ data.path | dirname | default: "root" }}"#, "a/c.jar", "a"),
        (#"{{ data.tag | default: "none" }}"#, "a/c.jar", "none"),
        (#"{{ data.tag | upper | default: "none" }}"#, "a/c.jar", "none"),
        (#"{{ data.name | strip_suffix: "c.jar" | default: "empty" }}"#, "a/c.jar", "empty"),
        (#"{{ data.name | replace: "\"", "q" }}"#, "a/c.jar", "c.jar"),
        (#"v{{ data.name | strip_suffix: ".jar" }}/{{ data.path | dirname }}"#, "a/c.jar", "vc/a"),
    ])
    func filtersShapeValues(template: String, path: String, expected: String) throws {
        #expect(Self.rendered(try Self.plan(template, path: path)) == expected)
    }

    @Test(arguments: [
        ("{{ data.path | dirname }}", "c.jar", "data.path | dirname renders empty for this event"),
        (#"{{ data.name | strip_suffix: "c.jar" }}"#, "a/c.jar", #"data.name | strip_suffix: "c.jar" renders empty"#),
        ("{{ data.tag | upper }}", "a/c.jar", "data.tag is missing from the event"),
    ])
    func anEmptyResultFailsThePlan(template: String, path: String, message: String) throws {
        let plan = try Self.plan(template, path: path)
        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code) == [.missingField])
        #expect(plan.failures.first?.message.hasPrefix(message) == true, "\(plan.failures)")
    }

    @Test(arguments: [
        ("{{ data.path | dirnme }}", #"unknown filter "dirnme"; did you mean "dirname"?"#),
        ("{{ data.path | frobnicate }}", "unknown filter \"frobnicate\"; use one of dirname, basename,"),
        ("{{ data.path | dirname: \"x\" }}", "dirname takes no argument; write: | dirname"),
        ("{{ data.path | strip_suffix }}", #"strip_suffix takes 1 argument, found 0; write: | strip_suffix: "SUFFIX""#),
        ("{{ data.path | replace: \"a\" }}", #"replace takes 2 arguments, found 1; write: | replace: "OLD", "NEW""#),
        ("{{ data.path | replace: \"\", \"b\" }}", "replace: the text to replace cannot be empty"),
        ("{{ data.path | default: \"\" }}", "default: the value cannot be empty"),
        ("{{ data.path | strip_suffix: .jar }}", #"filter arguments are quoted strings; write: strip_suffix: ".jar""#),
        ("{{ data.path | strip_suffix: \".jar }}", "unterminated string in a filter argument"),
        ("{{ data.path | strip_suffix: \"\\x\" }}", #"unknown escape "\x" in a filter argument"#),
        ("{{ data.path | }}", #"a filter name is missing after "{{ data.path |""#),
        ("{{ data.path | dirname basename }}", #"unexpected "b" after "| dirname"; separate filters with "|""#),
        ("{{ data.path | dirname", #""{{" without a closing "}}""#),
    ])
    func badFiltersAreLoadErrors(template: String, message: String) throws {
        let error = try #require(throws: RulesError.self) {
            _ = try Template(template)
        }
        #expect(error.code == .badTemplate)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test("a }} inside a quoted argument does not close the expression")
    func closingBracesInAnArgument() throws {
        let template = try Template(#"{{ data.name | replace: "}}", "x" }}!"#)
        #expect(template.parts.count == 2)
        #expect(template.parts.last == .literal("!"))
    }

    @Test("the parsed form writes back as it reads")
    func partsRoundTrip() throws {
        let template = try Template(#"a{{data.name|replace:'"','\\'|default:"x"}}"#)
        let again = Template(parts: template.parts)
        #expect(again.source == #"a{{ data.name | replace: "\"", "\\" | default: "x" }}"#)
        #expect(try Template(again.source).parts == template.parts)
    }

    @Test("an AQL query escapes the filtered value as a whole, after filtering")
    func aqlEscapesAfterFiltering() throws {
        let rules = try Fixtures.rules(
            #"""
            rules:
              - name: siblings
                on: artifact.deployed
                do:
                  - set_properties: { seen: "yes" }
                    for_each:
                      aql: 'items.find({"path":{"$eq":"{{ data.path | dirname | replace: "b", "\"" }}"}})'
            """#)
        let plan = rules.plan(try Self.deploy("a/b/c.jar"), context: Fixtures.context)
        #expect(plan.failures == [])
        #expect(plan.actions.first?.request.body == #"items.find({"path":{"$eq":"a/\""}})"#)
    }

    @Test("a filtered path is split into segments and encoded per segment")
    func filteredPathsAreSegments() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: folder
                on: artifact.deployed
                do:
                  - set_properties: { tagged: "yes" }
                    path: '{{ data.path | dirname }}'
                  - set_properties: { tagged: "yes" }
                    path: '{{ data.path | dirname | replace: "b c", "d?e" }}'
            """)
        let plan = rules.plan(try Self.deploy("a/b c/f.jar"), context: Fixtures.context)
        #expect(plan.failures == [])
        #expect(
            plan.actions.map(\.request.pathAndQuery) == [
                "api/storage/libs-release-local/a/b%20c?properties=tagged=yes&recursive=0",
                "api/storage/libs-release-local/a/d%3Fe?properties=tagged=yes&recursive=0",
            ])
    }

    @Test("a filter that produces a .. segment is refused like any other")
    func replaceToDotDotIsRefused() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: climb
                on: artifact.deployed
                do:
                  - set_properties: { tagged: "yes" }
                    path: '{{ data.path | dirname | replace: "up", ".." }}/x'
                  - copy: { to: 'libs-qa-local/{{ data.path | replace: "up", "." }}' }
            """)
        let plan = rules.plan(try Self.deploy("a/up/f.jar"), context: Fixtures.context)
        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code) == [.badPath, .badPath])
        #expect(plan.failures.first?.message.contains(#"has a ".." segment"#) == true, "\(plan.failures)")
    }
}
