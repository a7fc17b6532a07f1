import ArtifactoryEvents
import Testing

@Suite("JSON parsing keeps numbers and text exactly")
struct JSONParserTests {
    @Test("numbers stay literal")
    func numbers() throws {
        let value = try JSONParser.parse(Array(#"[0, -1, 123456789012345678901234567890, 1.5e-3, 2E+10]"#.utf8))
        #expect(
            value
                == .array([
                    .number("0"), .number("-1"), .number("123456789012345678901234567890"), .number("1.5e-3"),
                    .number("2E+10"),
                ]))
    }

    @Test("escapes and unicode")
    func strings() throws {
        let value = try JSONParser.parse(Array(#"{"a":"x\"y\\z\/\n\u00e9\ud83d\ude00","b":"ünïcödé"}"#.utf8))
        #expect(value["a"] == .string("x\"y\\z/\né😀"))
        #expect(value["b"] == .string("ünïcödé"))
    }

    @Test(
        "invalid documents are refused",
        arguments: [
            "01", "1.", "-", "+1", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "nul", "\"abc", "\"\\x\"", "\"\\ud800\"",
            "[1] 2", "{\"a\":\"\u{01}\"}", "NaN",
        ])
    func invalid(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        // The same after an escape (a string with escapes is read a run at a time).
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22]) }
    }

    @Test("nesting is bounded instead of exhausting the stack")
    func depthLimit() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONParser.parse(Array(fine.utf8)) }
    }

    @Test("pretty printing keeps order and digits")
    func prettyPrint() {
        let text = #"{"z":1,"a":[123456789012345678901,{"k":"v, \"q\" {"}],"e":{}}"#
        let pretty = JSONPrettyPrinter.format(Array(text.utf8))
        #expect(
            pretty == """
                {
                  "z": 1,
                  "a": [
                    123456789012345678901,
                    {
                      "k": "v, \\"q\\" {"
                    }
                  ],
                  "e": {}
                }
                """)
    }
}
