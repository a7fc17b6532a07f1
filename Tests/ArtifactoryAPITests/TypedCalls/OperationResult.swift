/// The answer of Build Promotion, Copy Item and Move Item: `{"messages": [{"level", "message"}]}`.
struct OperationResult: Decodable, Sendable, Hashable {
    /// One line of Artifactory's report.
    struct Message: Decodable, Sendable, Hashable {
        /// `INFO`, `WARNING` or `ERROR` (Artifactory's case varies).
        var level: String
        /// The text.
        var message: String

        init(level: String, message: String) {
            self.level = level
            self.message = message
        }
    }

    /// The report, in Artifactory's order; may be empty.
    var messages: [Message]

    init(messages: [Message]) { self.messages = messages }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decodeIfPresent([Message].self, forKey: .messages) ?? []
    }

    /// The messages whose level is `error`, in any case.
    var errors: [Message] { messages.filter { $0.level.lowercased() == "error" } }

    private enum CodingKeys: String, CodingKey { case messages }
}
