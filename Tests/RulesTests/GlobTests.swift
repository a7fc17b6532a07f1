import Foundation
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

    /// The glob as an ICU regular expression: slow, but a different way to the same answer.
    static func reference(_ pattern: String) throws -> NSRegularExpression {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false)
        var regex = "^"
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            if segment == "**" {
                regex += isLast ? "[\\s\\S]*" : "(?:[^/]*/)*"
                continue
            }
            for character in segment {
                switch character {
                case "*": regex += "[^/]*"
                case "?": regex += "[^/]"
                default: regex += NSRegularExpression.escapedPattern(for: String(character))
                }
            }
            if !isLast { regex += "/" }
        }
        return try NSRegularExpression(pattern: regex + "\\z")
    }

    @Test("random patterns and values give the answer of the equivalent regular expression")
    func agreesWithRegularExpressions() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "b", "ü", "*", "?", "*", "-"]
        let letters = ["a", "b", "ü", "/", "-", "a"]
        for _ in 0..<2000 {
            let segments = (0..<Int.random(in: 1...3, using: &generator)).map { _ -> String in
                if Int.random(in: 0..<5, using: &generator) == 0 { return "**" }
                return (0..<Int.random(in: 1...4, using: &generator)).map { _ in pieces.randomElement()! }.joined()
            }
            let pattern = segments.joined(separator: "/")
            // "**" inside a segment is refused when the rule loads (tested below).
            guard !segments.contains(where: { $0 != "**" && $0.contains("**") }) else { continue }
            let value = (0..<Int.random(in: 0...10, using: &generator)).map { _ in letters.randomElement()! }.joined()
            let glob = try Glob(pattern)
            let regex = try Self.reference(pattern)
            let expected = regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            #expect(glob.matches(value) == expected, "\(pattern) against \(value)")
        }
    }

    @Test("values of many thousand bytes against patterns that made backtracking quadratic")
    func longValues() throws {
        let dashes = String(repeating: "-", count: 100_000)
        #expect(try Glob("*-*.jar").matches(dashes + "/.jar") == false)
        #expect(try Glob("*-*.jar").matches(dashes + ".jar") == true)
        #expect(try Glob("*a*a*b").matches(String(repeating: "a", count: 100_000) + "/b") == false)
        #expect(try Glob("**/*a?b").matches(String(repeating: "a/", count: 50_000) + "axb") == true)
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
