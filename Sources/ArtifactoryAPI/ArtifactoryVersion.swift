/// The answer of Version and Add-ons information (`GET api/system/version`).
public struct ArtifactoryVersion: Decodable, Sendable, Hashable {
    /// `7.104.5`.
    public var version: String
    /// The build revision.
    public var revision: String?
    /// Installed add-ons.
    public var addons: [String]
    /// The license type, when Artifactory tells it.
    public var license: String?

    public init(version: String, revision: String? = nil, addons: [String] = [], license: String? = nil) {
        self.version = version
        self.revision = revision
        self.addons = addons
        self.license = license
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        revision = try container.decodeIfPresent(String.self, forKey: .revision)
        addons = try container.decodeIfPresent([String].self, forKey: .addons) ?? []
        license = try container.decodeIfPresent(String.self, forKey: .license)
    }

    private enum CodingKeys: String, CodingKey { case version, revision, addons, license }
}
