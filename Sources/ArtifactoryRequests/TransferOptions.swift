/// The switches of Copy Item and Move Item. A switch left `nil` is not sent, so Artifactory's
/// default applies.
public struct TransferOptions: Sendable, Hashable {
    /// `dry=1`: report what would happen, change nothing. Default `false` (not sent).
    public var dryRun: Bool
    /// `suppressLayouts=0|1`: `1` keeps the target path as given instead of translating it between
    /// repository layouts. Default `nil`.
    public var suppressLayouts: Bool?
    /// `failFast=0|1`: `1` stops at the first failure. Default `nil`.
    public var failFast: Bool?

    public init(dryRun: Bool = false, suppressLayouts: Bool? = nil, failFast: Bool? = nil) {
        self.dryRun = dryRun
        self.suppressLayouts = suppressLayouts
        self.failFast = failFast
    }
}
