extension ArtifactoryRequest {
    /// Set Item Properties: `PUT api/storage/{repo}/{path}?properties=k=v1,v2;k2=v&recursive=0|1`.
    ///
    /// Replaces the values of the keys that `write` names, in its order, and leaves other keys
    /// alone. `write` names each key followed by its values; what it throws is thrown, and no
    /// request is made.
    public static func setProperties<Failure: Error>(
        on item: ItemLocation, recursive: Bool, _ write: (inout PropertyWriter) throws(Failure) -> Void
    ) throws(Failure) -> ArtifactoryRequest {
        var writer = PropertyWriter(URLText("api/storage/"))
        writer.url.append(item.encoded)
        writer.url.append("?properties=")
        try write(&writer)
        writer.url.append(recursive ? "&recursive=1" : "&recursive=0")
        return ArtifactoryRequest(method: .put, pathAndQuery: writer.url.string)
    }

    /// Delete Item Properties: `DELETE api/storage/{repo}/{path}?properties=k1,k2&recursive=0|1`.
    public static func deleteProperties(on item: ItemLocation, keys: [String], recursive: Bool) -> ArtifactoryRequest {
        var url = URLText("api/storage/")
        url.append(item.encoded)
        url.append("?properties=")
        for (number, key) in keys.enumerated() {
            if number > 0 { url.append(byte: UInt8(ascii: ",")) }
            url.appendProperty(key)
        }
        url.append(recursive ? "&recursive=1" : "&recursive=0")
        return ArtifactoryRequest(method: .delete, pathAndQuery: url.string)
    }

    /// The characters JFrog forbids in a property key, besides the space.
    public static let forbiddenPropertyKeyCharacters: Set<Character> = Set(")(}{][*+^$\\/~`!@#%&<>;=,±§ ")
}
