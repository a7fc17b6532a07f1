/// Writes the value of a Set Item Properties `properties=` parameter, `k=v1,v2;k2=v`, straight
/// into the request: keys and values get JFrog's backslash escape and percent-encoding
/// (``URLEncoding``), the separators are written here.
///
/// Handed to the closure of ``ArtifactoryRequest/setProperties(on:recursive:_:)``, which names
/// each key followed by its values.
public struct PropertyWriter {
    var url: URLText
    private var hasKey = false
    private var hasValue = false

    init(_ url: URLText) { self.url = url }

    /// Starts the property `key`; a key given no values is written `k=`.
    public mutating func key(_ key: String) {
        if hasKey { url.append(byte: UInt8(ascii: ";")) }
        url.appendProperty(key)
        url.append(byte: UInt8(ascii: "="))
        hasKey = true
        hasValue = false
    }

    /// Adds a value to the property last started with ``key(_:)``.
    public mutating func value(_ value: String) {
        if hasValue { url.append(byte: UInt8(ascii: ",")) }
        url.appendProperty(value)
        hasValue = true
    }
}
