import ArtifactoryEvents

/// Turns names, item paths and property values into the exact text Artifactory's REST API expects.
///
/// Every function is pure and total: any string, however hostile, comes out as text that cannot
/// change the structure of the URL it is placed in.
///
/// - A **path segment** (repository key, build name, build number) is percent-encoded whole, so a
///   build named `team/app` becomes `team%2Fapp` and stays one segment. `.` and `..` are encoded
///   too (`%2E`, `%2E%2E`) so no segment can walk out of its place.
/// - An **item path** keeps `/` between its segments and encodes each segment.
/// - A **query value** is percent-encoded whole.
/// - A **property** key or value first gets JFrog's escape, a backslash before `,` `;` `=` `|` and
///   `\`, and is then percent-encoded; the separators the encoder itself writes (`=` between key
///   and values, `,` between values, `;` between properties) stay literal.
public enum ArtifactoryEncoding {
    /// The characters JFrog's property syntax gives a meaning to; a backslash before each makes it
    /// literal.
    public static let propertySpecialCharacters: Set<Character> = [",", ";", "=", "|", "\\"]

    /// Percent-encodes every byte of the UTF-8 form of `text` except RFC 3986's unreserved
    /// characters (`A-Z a-z 0-9 - . _ ~`).
    public static func percentEncode(_ text: String) -> String {
        URLEncoding.percentEncode(text)
    }

    /// One path segment: percent-encoded, with `.` and `..` encoded as well.
    public static func pathSegment(_ segment: String) -> String {
        if segment == "." || segment == ".." {
            return String(repeating: "%2E", count: segment.count)
        }
        return percentEncode(segment)
    }

    /// An item path inside a repository: `/` separates segments, each one encoded; empty segments
    /// (leading, trailing or doubled slashes) are dropped.
    public static func itemPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true)
            .map { pathSegment(String($0)) }
            .joined(separator: "/")
    }

    /// `repo/path` with both parts encoded; just the repository key when `path` is empty.
    public static func repositoryPath(repo: String, path: String) -> String {
        let encodedPath = itemPath(path)
        return encodedPath.isEmpty ? pathSegment(repo) : pathSegment(repo) + "/" + encodedPath
    }

    /// A query parameter value, percent-encoded whole.
    public static func queryValue(_ value: String) -> String {
        percentEncode(value)
    }

    /// JFrog's property escape: a backslash before each of `,` `;` `=` `|` `\`.
    public static func escapeProperty(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            if propertySpecialCharacters.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// The value of a `properties=` parameter that sets properties: `k=v1,v2;k2=v`, keys sorted,
    /// every key and value escaped and percent-encoded. A key with no values is written `k=`.
    public static func properties(_ properties: [String: [String]]) -> String {
        properties.keys.sorted().map { key in
            let values = properties[key, default: []].map { percentEncode(escapeProperty($0)) }
            return percentEncode(escapeProperty(key)) + "=" + values.joined(separator: ",")
        }
        .joined(separator: ";")
    }

    /// The value of a `properties=` parameter that names keys: `k1,k2`, each escaped and encoded,
    /// in the order given.
    public static func propertyKeys(_ keys: [String]) -> String {
        keys.map { percentEncode(escapeProperty($0)) }.joined(separator: ",")
    }
}
