/// The answer of Get Item Properties: `{"uri": …, "properties": {"k": ["v1", "v2"]}}`.
struct ItemProperties: Decodable, Sendable, Hashable {
    /// The item's storage URI, as Artifactory writes it.
    var uri: String?
    /// Every property key with its values.
    var properties: [String: [String]]

    init(uri: String? = nil, properties: [String: [String]]) {
        self.uri = uri
        self.properties = properties
    }
}
