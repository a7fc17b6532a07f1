/// How values are written into Artifactory request URLs.
///
/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded as
/// UTF-8, so a `/` inside a build name becomes `%2F`, a space `%20`, a `+` `%2B` (never read as a
/// space), a `;` `%3B` (never read as a matrix parameter).
enum ArtifactoryEncoding {
    /// One path segment, or one component of a query value, percent-encoded.
    static func percentEncode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A `repo/path/…` path with each segment percent-encoded and the `/` between them kept.
    static func encodePath(_ segments: [String]) -> String {
        segments.map(percentEncode).joined(separator: "/")
    }

    /// A property key or value escaped for Artifactory's `properties=` syntax, then
    /// percent-encoded: each of `,` `;` `=` `|` `\` gets a backslash before it (JFrog's "Set Item
    /// Properties": "add an encoded backslash (%5C) before them"), so `a,b` → `a%5C%2Cb`.
    static func propertyText(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            if propertySpecials.contains(character) { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(character)
        }
        return percentEncode(escaped)
    }

    /// The characters Artifactory's property syntax gives a meaning.
    static let propertySpecials: Set<Unicode.Scalar> = [",", ";", "=", "|", "\\"]

    /// The characters JFrog forbids in a property key (besides the space).
    static let forbiddenKeyCharacters: Set<Character> = Set(")(}{][*+^$\\/~`!@#%&<>;=,±§ ")

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
