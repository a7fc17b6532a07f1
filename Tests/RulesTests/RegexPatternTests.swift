import Foundation
import Testing

@testable import Rules

/// `{matches: REGEX}`: ICU semantics, with plain-text patterns answered without ICU.
struct RegexPatternTests {
    static let patterns = [
        #"-sources\.jar$"#, "^release-", "^1.0$", "SNAPSHOT", #"^v\d+$"#, "a|b", #"^\$x\.y$"#, "^$", "é",
        #"^[0-9]+\.[0-9]+\.[0-9]+$"#, #"\Qa.b\E"#, "(?i)abc", "^abc$",
    ]
    static let values = [
        "lib-sources.jar", "lib-sources.jar\n", "lib-sourcesXjar", "release-1", "pre-release-1", "1.0", "1x0",
        "1-SNAPSHOT-2", "v12", "", "b", "$x.y", "e\u{301}", "é", "1.2.3", "a.b", "ABC", "abc\r\n", "abc\n\n", "abc\r",
        "abc\u{2028}", "abc\u{85}", "abc\u{0B}", "1.0\n",
    ]

    @Test(arguments: patterns)
    func agreesWithICUOnEveryValue(_ pattern: String) throws {
        let compiled = try RegexPattern(pattern)
        let icu = try NSRegularExpression(pattern: pattern)
        for value in Self.values {
            let expected = icu.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            #expect(compiled.matches(value) == expected, "\(pattern) on \(value.debugDescription)")
        }
    }

    @Test(arguments: [
        (#"-sources\.jar$"#, true), ("^release-", true), ("SNAPSHOT", true), (#"^\$x\.y$"#, true), ("^1.0$", false),
        (#"^v\d+$"#, false), ("a|b", false), (#"\Qa.b\E"#, false), ("(?i)abc", false), ("a$b", false),
    ])
    func plainTextPatternsSkipICU(_ pattern: String, _ literal: Bool) throws {
        #expect(try RegexPattern(pattern).isLiteral == literal)
    }
}
