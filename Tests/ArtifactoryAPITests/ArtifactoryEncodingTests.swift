import ArtifactoryAPI
import Testing

@Suite("Encoding names, paths and properties")
struct ArtifactoryEncodingTests {
    @Test(
        "a path segment is encoded whole",
        arguments: [
            ("libs-release-local", "libs-release-local"),
            ("team/app", "team%2Fapp"),
            ("a b", "a%20b"),
            ("a,b;c=d|e\\f", "a%2Cb%3Bc%3Dd%7Ce%5Cf"),
            ("100%", "100%25"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("...", "..."),
            ("v1.0~rc_1-x", "v1.0~rc_1-x"),
            ("ü€", "%C3%BC%E2%82%AC"),
            ("a+b&c?d#e", "a%2Bb%26c%3Fd%23e"),
            ("", ""),
        ])
    func pathSegment(input: String, expected: String) {
        #expect(ArtifactoryEncoding.pathSegment(input) == expected)
    }

    @Test(
        "an item path keeps slashes between encoded segments",
        arguments: [
            ("com/acme/app-1.0.jar", "com/acme/app-1.0.jar"),
            ("/leading/and/trailing/", "leading/and/trailing"),
            ("double//slash", "double/slash"),
            ("a b/c,d/e;f", "a%20b/c%2Cd/e%3Bf"),
            ("../etc/passwd", "%2E%2E/etc/passwd"),
            ("dir/./file", "dir/%2E/file"),
            ("ünï/cødé", "%C3%BCn%C3%AF/c%C3%B8d%C3%A9"),
            ("", ""),
        ])
    func itemPath(input: String, expected: String) {
        #expect(ArtifactoryEncoding.itemPath(input) == expected)
    }

    @Test(
        "a property value gets JFrog's backslash escape, then percent-encoding",
        arguments: [
            ("plain", "plain"),
            ("a,b", "a%5C%2Cb"),
            ("a;b", "a%5C%3Bb"),
            ("1=1", "1%5C%3D1"),
            ("x|y", "x%5C%7Cy"),
            ("back\\slash", "back%5C%5Cslash"),
            ("with space", "with%20space"),
            ("50%", "50%25"),
            ("../up", "..%2Fup"),
            ("a/b", "a%2Fb"),
            ("ünïcode", "%C3%BCn%C3%AFcode"),
            ("a&b=c", "a%26b%5C%3Dc"),
        ])
    func propertyValue(input: String, expected: String) {
        #expect(ArtifactoryEncoding.properties(["k": [input]]) == "k=" + expected)
    }

    @Test("JFrog's escape puts a backslash before , ; = | and \\ only")
    func escape() {
        #expect(ArtifactoryEncoding.escapeProperty(#"a,b;c=d|e\f g"#) == #"a\,b\;c\=d\|e\\f g"#)
    }

    @Test("several properties: keys sorted, values joined by commas, properties by semicolons")
    func severalProperties() {
        let text = ArtifactoryEncoding.properties(["qa": ["done"], "os": ["win", "linux"], "empty": []])
        #expect(text == "empty=;os=win,linux;qa=done")
    }

    @Test("property keys to delete or read are escaped and joined by commas")
    func keys() {
        #expect(ArtifactoryEncoding.propertyKeys(["os", "q,a", "x y"]) == "os,q%5C%2Ca,x%20y")
    }

    @Test("a query value is encoded whole")
    func queryValue() {
        #expect(ArtifactoryEncoding.queryValue("my project/x&y=z") == "my%20project%2Fx%26y%3Dz")
    }
}
