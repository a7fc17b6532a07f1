import Foundation

/// The JSON body of Build Promotion (`application/vnd.org.jfrog.artifactory.build.PromotionRequest+json`).
///
/// Fields left `nil` are not sent, so Artifactory applies its own defaults.
struct BuildPromotion: Codable, Sendable, Hashable {
    /// The new build status (any text, e.g. `staged`, `released`).
    var status: String?
    /// Why the build is promoted. Artifactory's default: empty.
    var comment: String?
    /// The user that asked for the promotion on the CI side.
    var ciUser: String?
    /// When the promotion was requested, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`; see ``timestamp(for:)``.
    var timestamp: String?
    /// Check what would happen without changing anything. Artifactory's default: `false`.
    var dryRun: Bool?
    /// Where the build's artifacts are taken from; Artifactory finds them when unset.
    var sourceRepo: String?
    /// Where the build's artifacts (and optionally dependencies) go; unset for a status change only.
    var targetRepo: String?
    /// Copy instead of move when `targetRepo` is set. Artifactory's default: `false`.
    var copy: Bool?
    /// Include the build's artifacts. Artifactory's default: `true`.
    var artifacts: Bool?
    /// Include the build's dependencies. Artifactory's default: `false`.
    var dependencies: Bool?
    /// Only dependencies of these scopes.
    var scopes: [String]?
    /// Properties set on every promoted artifact.
    var properties: [String: [String]]?
    /// Stop at the first error. Artifactory's default: `true`.
    var failFast: Bool?

    init(
        status: String? = nil, comment: String? = nil, ciUser: String? = nil, timestamp: String? = nil,
        dryRun: Bool? = nil, sourceRepo: String? = nil, targetRepo: String? = nil, copy: Bool? = nil,
        artifacts: Bool? = nil, dependencies: Bool? = nil, scopes: [String]? = nil,
        properties: [String: [String]]? = nil, failFast: Bool? = nil
    ) {
        self.status = status
        self.comment = comment
        self.ciUser = ciUser
        self.timestamp = timestamp
        self.dryRun = dryRun
        self.sourceRepo = sourceRepo
        self.targetRepo = targetRepo
        self.copy = copy
        self.artifacts = artifacts
        self.dependencies = dependencies
        self.scopes = scopes
        self.properties = properties
        self.failFast = failFast
    }

    /// `date` in the form the API documents: `2016-02-11T18:30:24.825+0000` (UTC).
    static func timestamp(for date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return formatter.string(from: date)
    }
}
