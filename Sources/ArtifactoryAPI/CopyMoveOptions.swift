/// The switches of Copy Item and Move Item, always sent explicitly.
public struct CopyMoveOptions: Sendable, Hashable {
    /// `dry=1`: report what would happen, change nothing. Default `false`.
    public var dryRun: Bool
    /// `suppressLayouts=1`: keep the target path as given instead of translating it between
    /// repository layouts. Default `true`.
    public var suppressLayouts: Bool
    /// `failFast=1`: stop at the first failure. Default `false`.
    public var failFast: Bool

    public init(dryRun: Bool = false, suppressLayouts: Bool = true, failFast: Bool = false) {
        self.dryRun = dryRun
        self.suppressLayouts = suppressLayouts
        self.failFast = failFast
    }
}
