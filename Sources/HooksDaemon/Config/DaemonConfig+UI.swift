extension DaemonConfig {
    /// `ui:`: the status page, served on `admin_listen` under `/ui` (see docs/operations.md).
    public struct UI: Sendable, Equatable {
        /// `enabled`: whether the admin listener serves the status page. Default `true`; without
        /// an admin listener (`admin_listen: off`) there is no page.
        public var enabled: Bool
        /// `write`: whether the page offers its actions (retry, cancel, replay). Default `false`:
        /// read-only. Needs `token_file`.
        public var write: Bool
        /// `token_file`: the admin credential the actions need, as `Authorization: Bearer TOKEN`
        /// or HTTP basic with any user name and the token as password. Default: none.
        public var token: String?

        public init(enabled: Bool = true, write: Bool = false, token: String? = nil) {
            self.enabled = enabled
            self.write = write
            self.token = token
        }
    }
}
