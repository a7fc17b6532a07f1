/// The answer of Build Promotion, Copy Item and Move Item: `{"messages": [{"level", "message"}]}`.
public struct OperationResult: Decodable, Sendable, Hashable {
    /// One line of Artifactory's report.
    public struct Message: Decodable, Sendable, Hashable {
        /// `INFO`, `WARNING` or `ERROR` (Artifactory's case varies).
        public var level: String
        /// The text.
        public var message: String

        public init(level: String, message: String) {
            self.level = level
            self.message = message
        }
    }

    /// The report, in Artifactory's order; may be empty.
    public var messages: [Message]

    public init(messages: [Message]) { self.messages = messages }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decodeIfPresent([Message].self, forKey: .messages) ?? []
    }

    /// The messages whose level is `error`, in any case.
    public var errors: [Message] { messages.filter { $0.level.lowercased() == "error" } }

    private enum CodingKeys: String, CodingKey { case messages }
}
