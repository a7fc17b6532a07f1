/// The answer of Get Item Properties: `{"uri": …, "properties": {"k": ["v1", "v2"]}}`.
public struct ItemProperties: Decodable, Sendable, Hashable {
    /// The item's storage URI, as Artifactory writes it.
    public var uri: String?
    /// Every property key with its values.
    public var properties: [String: [String]]

    public init(uri: String? = nil, properties: [String: [String]]) {
        self.uri = uri
        self.properties = properties
    }
}
