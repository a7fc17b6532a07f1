import ArtifactoryRequests
import Testing

/// The one `.`/`..` policy: a name or path that a server or proxy would normalize into another
/// place is refused before any request is built from it.
struct ItemLocationTests {
    @Test(arguments: [
        ("com/acme/a.jar", "com/acme/a.jar", "com/acme/a.jar", 3),
        ("/com//acme/a.jar/", "com/acme/a.jar", "com/acme/a.jar", 3),
        ("a b/c+d/ü", "a b/c+d/ü", "a%20b/c%2Bd/%C3%BC", 3),
        ("a b/c,d/e;f", "a b/c,d/e;f", "a%20b/c%2Cd/e%3Bf", 3),
        ("..a/b..", "..a/b..", "..a/b..", 2),
        ("", "", "", 0),
        ("//", "", "", 0),
    ])
    func pathsAreNormalizedAndEncodedPerSegment(path: String, text: String, encoded: String, segments: Int) throws {
        let parsed = try ItemPath(path)
        #expect(parsed.text == text)
        #expect(parsed.encoded == encoded)
        #expect(parsed.segmentCount == segments)
    }

    @Test(arguments: [
        ("a/../b", ".."), ("./a", "."), ("a/.", "."), ("..", ".."), ("a//../b", ".."), ("../etc/passwd", ".."),
        ("dir/./file", "."),
    ])
    func pathsWithDotSegmentsAreRefused(path: String, segment: String) {
        #expect(throws: ArtifactoryRequestError(.dotSegment, text: path, segment: segment)) { try ItemPath(path) }
    }

    @Test(arguments: [
        ("", "it is empty"), (".", #"Artifactory forbids "." as a repository key"#),
        ("..", #"Artifactory forbids ".." as a repository key"#),
        ("a/b", #"it contains "/", which Artifactory forbids in repository keys"#),
        ("/", #"it contains "/", which Artifactory forbids in repository keys"#),
    ])
    func repositoryKeysThatAreNoKeyAreRefused(key: String, reason: String) {
        #expect(throws: ArtifactoryRequestError(.invalidRepository, text: key, reason: reason)) {
            try RepositoryKey(key)
        }
    }

    @Test(arguments: [".", ".."])
    func singleSegmentsThatClimbAreRefused(segment: String) throws {
        #expect(throws: ArtifactoryRequestError(.dotSegment, text: segment, segment: segment)) {
            try PathSegment(segment)
        }
        #expect(try PathSegment("...").encoded == "...")
        #expect(try PathSegment("team/app").encoded == "team%2Fapp")
    }

    @Test func locationsEncodeTheRepositoryAndEachSegment() throws {
        let item = try ItemLocation(repo: "libs local", path: "/a b//c.jar")
        #expect(item.encoded == "libs%20local/a%20b/c.jar")
        #expect(item.description == "libs local/a b/c.jar")
        #expect(item.path == "a b/c.jar")
        let root = try ItemLocation(repo: "libs", path: "")
        #expect(root.encoded == "libs")
        #expect(root.description == "libs")
        #expect(root.path == "")
    }

    @Test func aRepositoryPathStartsWithItsRepository() throws {
        let target = try ItemLocation(repositoryPath: ItemPath("/qa local//a b/c.jar"))
        #expect(target.repo.text == "qa local")
        #expect(target.description == "qa local/a b/c.jar")
        #expect(target.path == "a b/c.jar")
        #expect(target.encoded == "qa%20local/a%20b/c.jar")
        let root = try ItemLocation(repositoryPath: ItemPath("qa"))
        #expect(root.encoded == "qa")
        #expect(root.path == "")
        #expect(throws: ArtifactoryRequestError(.invalidRepository, text: "", reason: "it is empty")) {
            try ItemLocation(repositoryPath: ItemPath("//"))
        }
    }
}
