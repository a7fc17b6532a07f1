import ArtifactoryRequests
import Testing

/// The one encoder: everything but RFC 3986's unreserved characters is percent-encoded, and
/// property text gets JFrog's backslash escape first.
struct URLEncodingTests {
    @Test(arguments: [
        ("plain-Name_1.0~x", "plain-Name_1.0~x"),
        ("libs-release-local", "libs-release-local"),
        ("...", "..."),
        ("a/b", "a%2Fb"),
        ("a b", "a%20b"),
        ("100%", "100%25"),
        ("a+b", "a%2Bb"),
        ("a;b=c,d|e", "a%3Bb%3Dc%2Cd%7Ce"),
        ("a\\b", "a%5Cb"),
        ("?#&", "%3F%23%26"),
        ("ü", "%C3%BC"),
        ("☃", "%E2%98%83"),
        ("ü€", "%C3%BC%E2%82%AC"),
        ("%2E%2E", "%252E%252E"),
        ("my project/x&y=z", "my%20project%2Fx%26y%3Dz"),
        ("", ""),
    ])
    func percentEncodesEverythingButUnreserved(_ text: String, _ expected: String) {
        #expect(URLEncoding.percentEncode(text) == expected)
    }

    @Test(arguments: [
        ("pending", "pending"),
        ("a,b", "a%5C%2Cb"),
        ("a;b", "a%5C%3Bb"),
        ("1=1", "1%5C%3D1"),
        ("a|b", "a%5C%7Cb"),
        ("a\\b", "a%5C%5Cb"),
        ("a b", "a%20b"),
        ("50%", "50%25"),
        ("C++", "C%2B%2B"),
        ("../up", "..%2Fup"),
        ("a/b", "a%2Fb"),
        ("a&b=c", "a%26b%5C%3Dc"),
        ("naïve ☃", "na%C3%AFve%20%E2%98%83"),
        (",;=|\\", "%5C%2C%5C%3B%5C%3D%5C%7C%5C%5C"),
    ])
    func escapesPropertySyntaxThenPercentEncodes(_ text: String, _ expected: String) {
        #expect(URLEncoding.propertyText(text) == expected)
    }
}
