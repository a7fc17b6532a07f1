import ArtifactoryEvents
import Testing

/// The pretty printer's limits: a hostile body is folded, bounded, and says so.
struct JSONPrettyPrinterTests {
    static let small = JSONPrettyPrinter.Limits(depth: 2, stringBytes: 4, items: 3, outputBytes: 10_000)

    @Test func unboundedOutputIsUnchangedAndNotFolded() {
        let text = #"{"a":[1,[2,[3]]],"s":"long string","l":[1,2,3,4,5]}"#
        let output = JSONPrettyPrinter.format(Array(text.utf8), limits: .unbounded)
        #expect(output.folded == false)
        #expect(output.text == JSONPrettyPrinter.format(Array(text.utf8)))
    }

    @Test func deepContainersFoldToTheirItemCount() {
        let text = #"{"a":[1,[2,{"x":[3],"y":4}],[]],"b":{"c":{}}}"#
        let output = JSONPrettyPrinter.format(Array(text.utf8), limits: Self.small)
        #expect(output.folded)
        #expect(
            output.text == """
                {
                  "a": [
                    1,
                    [… 2 items],
                    []
                  ],
                  "b": {
                    "c": {}
                  }
                }
                """)
    }

    @Test func foldedObjectsCountKeys() {
        let output = JSONPrettyPrinter.format(Array(#"[[{"a":"x,y","b":[1,2]}]]"#.utf8), limits: Self.small)
        #expect(output.text == "[\n  [\n    {… 2 keys}\n  ]\n]")
    }

    @Test func longListsShowTheirFirstItemsAndHowManyMore() {
        let output = JSONPrettyPrinter.format(Array(#"{"l":[1,2,3,4,"5,6",[7,8]],"k":1}"#.utf8), limits: Self.small)
        #expect(output.folded)
        #expect(output.text == "{\n  \"l\": [\n    1,\n    2,\n    3,\n    … 3 more\n  ],\n  \"k\": 1\n}")
    }

    @Test func longStringsAreCutBetweenCharacters() {
        let limits = JSONPrettyPrinter.Limits(depth: 2, stringBytes: 4, items: 10, outputBytes: 10_000)
        let output = JSONPrettyPrinter.format(Array(#"["abcdef","ab\"cd","ab","aü☃x"]"#.utf8), limits: limits)
        #expect(output.folded)
        #expect(output.text == "[\n  \"abcd…\",\n  \"ab\\\"…\",\n  \"ab\",\n  \"aü☃…\"\n]")
    }

    @Test func outputStopsAtItsLimit() {
        let body = "[" + Array(repeating: "123456789", count: 100_000).joined(separator: ",") + "]"
        let limits = JSONPrettyPrinter.Limits(depth: 32, stringBytes: 4096, items: .max, outputBytes: 64 << 10)
        let output = JSONPrettyPrinter.format(Array(body.utf8), limits: limits)
        #expect(output.folded)
        #expect(output.text.utf8.count <= (64 << 10) + 16)
    }

    @Test("a 500-deep body prints a bounded text")
    func deepBodyIsBounded() {
        let items = Array(repeating: "1", count: 100_000).joined(separator: ",")
        let body = String(repeating: "[", count: 500) + items + String(repeating: "]", count: 500)
        let output = JSONPrettyPrinter.format(Array(body.utf8), limits: .terminal)
        #expect(output.folded)
        #expect(output.text.utf8.count < 64 << 10)
        #expect(output.text.contains("[… 1 item]"))
    }
}
