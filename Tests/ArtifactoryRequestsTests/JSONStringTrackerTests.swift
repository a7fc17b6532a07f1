import ArtifactoryRequests
import Testing

@Suite("JSONStringTracker")
struct JSONStringTrackerTests {
    /// Marks each character of `text`: `s` in a string literal (quotes included), `.` outside.
    static func marks(_ text: String) -> (String, Bool) {
        var tracker = JSONStringTracker()
        let marks = String(text.map { tracker.take($0) ? "s" : "." })
        return (marks, tracker.isInString)
    }

    @Test(
        "quotes open and close strings; an escaped quote or backslash does not end one",
        arguments: [
            (#"{"a":1}"#, ".sss...", false),
            (#"("x\"y")"#, ".ssssss.", false),
            (#"("x\\")"#, ".sssss.", false),
            (#"("x\\\"")"#, ".sssssss.", false),
            (#"a"b"#, ".ss", true),
            (#"""#, "s", true),
        ])
    func marksStrings(text: String, expected: String, unclosed: Bool) {
        let (marks, inString) = Self.marks(text)
        #expect(marks == expected, "\(text)")
        #expect(inString == unclosed, "\(text)")
    }
}
