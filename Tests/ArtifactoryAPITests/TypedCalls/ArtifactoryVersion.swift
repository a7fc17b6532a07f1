/// The answer of Version and Add-ons information (`GET api/system/version`).
struct ArtifactoryVersion: Decodable, Sendable, Hashable {
    /// `7.104.5`.
    var version: String
    /// The build revision.
    var revision: String?
    /// Installed add-ons.
    var addons: [String]
    /// The license type, when Artifactory tells it.
    var license: String?

    init(version: String, revision: String? = nil, addons: [String] = [], license: String? = nil) {
        self.version = version
        self.revision = revision
        self.addons = addons
        self.license = license
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        revision = try container.decodeIfPresent(String.self, forKey: .revision)
        addons = try container.decodeIfPresent([String].self, forKey: .addons) ?? []
        license = try container.decodeIfPresent(String.self, forKey: .license)
    }

    private enum CodingKeys: String, CodingKey { case version, revision, addons, license }
}
