/// The byte-level rules for writing values into Artifactory request URLs: the one definition of what
/// is percent-encoded and what JFrog's property syntax escapes, used by every endpoint factory of
/// ``ArtifactoryRequest``.
public enum URLEncoding {
    /// RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`): the only bytes left as they are.
    @inlinable
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// `,` `;` `=` `|` `\`: the characters JFrog's property syntax gives a meaning, which get a
    /// backslash before them ("Set Item Properties": "add an encoded backslash (%5C) before them").
    @inlinable
    public static func isPropertySpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "|"), UInt8(ascii: "\\"): true
        default: false
        }
    }

    /// Appends `byte` as it is when unreserved, else as `%XX` (upper-case hex).
    @inlinable
    public static func appendPercentEncoded(_ byte: UInt8, to out: inout [UInt8]) {
        if isUnreserved(byte) {
            out.append(byte)
        } else {
            let digits: StaticString = "0123456789ABCDEF"
            out.append(UInt8(ascii: "%"))
            out.append(digits.utf8Start[Int(byte >> 4)])
            out.append(digits.utf8Start[Int(byte & 0x0F)])
        }
    }

    /// Appends `text` percent-encoded. Most texts need no encoding: those are copied whole.
    @inlinable
    public static func appendPercentEncoded(_ text: some Collection<UInt8>, to out: inout [UInt8]) {
        if text.allSatisfy(isUnreserved) { return out.append(contentsOf: text) }
        for byte in text { appendPercentEncoded(byte, to: &out) }
    }

    /// Appends a property key or value: JFrog's backslash escape, then percent-encoding. Unreserved
    /// bytes are neither escaped nor encoded, so a text of only those is copied whole.
    @inlinable
    public static func appendProperty(_ text: some Collection<UInt8>, to out: inout [UInt8]) {
        if text.allSatisfy(isUnreserved) { return out.append(contentsOf: text) }
        for byte in text {
            if isPropertySpecial(byte) { appendPercentEncoded(UInt8(ascii: "\\"), to: &out) }
            appendPercentEncoded(byte, to: &out)
        }
    }

    /// `text` percent-encoded whole (a path segment or a query value).
    public static func percentEncode(_ text: String) -> String {
        URLText.withBytes(text) { bytes in
            if bytes.allSatisfy(isUnreserved) { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            appendPercentEncoded(bytes, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A property key or value escaped for JFrog's syntax and percent-encoded: `a,b` → `a%5C%2Cb`.
    public static func propertyText(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        appendProperty(text.utf8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
