import Testing

@testable import Rules

/// `*` inside a segment, `?` one character, `**` whole segments; case-sensitive, whole value.
struct GlobTests {
    @Test(arguments: [
        ("com/acme/**/*.jar", "com/acme/x.jar", true),
        ("com/acme/**/*.jar", "com/acme/a/b/x.jar", true),
        ("com/acme/**/*.jar", "com/acme/a/b/x.jar.sha1", false),
        ("com/acme/**/*.jar", "com/other/x.jar", false),
        ("*.jar", "b.jar", true),
        ("*.jar", "a/b.jar", false),
        ("**/*.jar", "a/b.jar", true),
        ("**/*.jar", "b.jar", true),
        ("libs-*-local", "libs-release-local", true),
        ("libs-*-local", "libs-release-remote", false),
        ("libs-*-local", "libs-a/b-local", false),
        ("v?.?", "v1.2", true),
        ("v?.?", "v10.2", false),
        ("?", "ü", true),
        ("?", "/", false),
        ("??", "ü", false),
        ("a/**", "a/b/c", true),
        ("a/**", "a", false),
        ("**", "any/thing/at/all", true),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a/**/b", "a/xb", false),
        ("*", "", true),
        ("a*", "a", true),
        ("*.JAR", "x.jar", false),
        ("*ü*", "naüve", true),
        ("*a*a*a*a*a*b", String(repeating: "a", count: 200), false),
        ("**/x/**/y/**/z", String(repeating: "d/", count: 100) + "x/y", false),
    ])
    func matches(pattern: String, value: String, expected: Bool) throws {
        #expect(try Glob(pattern).matches(value) == expected)
    }

    @Test(arguments: ["a**", "**a/b", "a/b**", "a/***/b", ""])
    func rejectsMalformedPatterns(_ pattern: String) {
        #expect {
            try Glob(pattern)
        } throws: { error in
            (error as? RulesError)?.code == .badPattern
        }
    }

    @Test(arguments: [("a*", true), ("a?", true), ("abc", false), ("a[b]", false)])
    func onlyStarAndQuestionMarkMakeAPattern(_ text: String, _ expected: Bool) {
        #expect(Glob.isPattern(text) == expected)
    }

    @Test func literalConditionsCompareExactly() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: exact
                on: artifact.deployed
                when: { name: "a[1].jar" }
                do: [delete: {}]
            """)
        let hit = try Fixtures.event(
            json:
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a[1].jar","name":"a[1].jar"}}"#
        )
        let miss = try Fixtures.event(
            json:
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a1.jar","name":"a1.jar"}}"#
        )
        #expect(rules.plan(hit, context: Fixtures.context).matchedRules == ["exact"])
        #expect(rules.plan(miss, context: Fixtures.context).matchedRules == [])
    }

    @Test func exactTextsCompareCodePointForCodePoint() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: precomposed
                on: artifact.deployed
                when: { name: "café.jar" }
                do: [delete: {}]
            """)
        let composed = try Fixtures.event(
            json:
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a","name":"caf\u00e9.jar"}}"#
        )
        let decomposed = try Fixtures.event(
            json:
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a","name":"cafe\u0301.jar"}}"#
        )
        #expect(rules.plan(composed, context: Fixtures.context).matchedRules == ["precomposed"])
        #expect(rules.plan(decomposed, context: Fixtures.context).matchedRules == [])
    }
}
