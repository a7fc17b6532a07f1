import ArtifactoryRequests
import Testing

/// Every endpoint factory writes the form JFrog's REST API documents.
struct ArtifactoryRequestTests {
    static let logback = try! ItemLocation(repo: "libs-release-local", path: "ch/qos/logback/logback-classic/0.9.9")

    @Test("Set Item Properties: keys in the order given, values escaped")
    func setProperties() {
        let request = ArtifactoryRequest.setProperties(on: Self.logback, recursive: false) { writer in
            writer.key("os")
            writer.value("win")
            writer.value("linux")
            writer.key("qa")
            writer.value("done")
        }
        #expect(request.method == .put)
        #expect(
            request.pathAndQuery
                == "api/storage/libs-release-local/ch/qos/logback/logback-classic/0.9.9?properties=os=win,linux;qa=done&recursive=0"
        )
        #expect(request.body == nil)
        let hostile = ArtifactoryRequest.setProperties(on: try! ItemLocation(repo: "r", path: "a b"), recursive: true) {
            writer in
            writer.key("k")
            writer.value("a,b")
            writer.value("1=1")
            writer.key("e")
        }
        #expect(hostile.pathAndQuery == "api/storage/r/a%20b?properties=k=a%5C%2Cb,1%5C%3D1;e=&recursive=1")
    }

    @Test("Delete Item Properties")
    func deleteProperties() {
        let request = ArtifactoryRequest.deleteProperties(on: Self.logback, keys: ["os", "q,a"], recursive: true)
        #expect(request.method == .delete)
        #expect(
            request.pathAndQuery
                == "api/storage/libs-release-local/ch/qos/logback/logback-classic/0.9.9?properties=os,q%5C%2Ca&recursive=1"
        )
    }

    @Test("Build Promotion: encoded name, project, the body as given")
    func promote() throws {
        let request = ArtifactoryRequest.promoteBuild(
            name: try PathSegment("team/app"), number: try PathSegment("51"), project: "my proj",
            body: #"{"status":"staged"}"#)
        #expect(request.method == .post)
        #expect(request.pathAndQuery == "api/build/promote/team%2Fapp/51?project=my%20proj")
        #expect(request.body == #"{"status":"staged"}"#)
        #expect(request.contentType == "application/json")
    }

    @Test("Build Info, with and without a project")
    func buildInfo() throws {
        #expect(
            ArtifactoryRequest.buildInfo(name: try PathSegment("my-build"), number: try PathSegment("51"), project: nil)
                .pathAndQuery == "api/build/my-build/51")
        let request = ArtifactoryRequest.buildInfo(
            name: try PathSegment("a/b c"), number: try PathSegment("1.0/2"), project: "p")
        #expect(request.method == .get)
        #expect(request.pathAndQuery == "api/build/a%2Fb%20c/1.0%2F2?project=p")
    }

    @Test("Copy and Move send the switches that are set, and only those")
    func copyAndMove() throws {
        let source = try ItemLocation(repo: "libs-release-local", path: "org/acme")
        let target = try ItemLocation(repo: "ext-releases-local", path: "org/acme-new")
        #expect(
            ArtifactoryRequest.move(source, to: target).pathAndQuery
                == "api/move/libs-release-local/org/acme?to=/ext-releases-local/org/acme-new")
        let copy = ArtifactoryRequest.copy(
            try ItemLocation(repo: "r", path: "a b/c&d"), to: try ItemLocation(repo: "t", path: "x?y"),
            options: TransferOptions(dryRun: true, suppressLayouts: false, failFast: true))
        #expect(copy.method == .post)
        #expect(copy.pathAndQuery == "api/copy/r/a%20b/c%26d?to=/t/x%3Fy&dry=1&suppressLayouts=0&failFast=1")
    }

    @Test("Delete Item is a DELETE of the item's own URL; storage info a GET under api/storage")
    func deleteAndInfo() {
        let request = ArtifactoryRequest.delete(Self.logback)
        #expect(request.method == .delete)
        #expect(request.pathAndQuery == "libs-release-local/ch/qos/logback/logback-classic/0.9.9")
        let info = ArtifactoryRequest.storageInfo(encodedItem: Self.logback.encoded)
        #expect(info.method == .get)
        #expect(info.pathAndQuery == "api/storage/libs-release-local/ch/qos/logback/logback-classic/0.9.9")
    }

    @Test("AQL is a text/plain POST; ping and version are GETs")
    func searchAndSystem() {
        let aql = ArtifactoryRequest.aql(#"items.find({"repo":{"$eq":"libs-release-local"}})"#)
        #expect(aql.method == .post)
        #expect(aql.pathAndQuery == "api/search/aql")
        #expect(aql.contentType == "text/plain")
        #expect(aql.body == #"items.find({"repo":{"$eq":"libs-release-local"}})"#)
        #expect(ArtifactoryRequest.ping == ArtifactoryRequest(method: .get, pathAndQuery: "api/system/ping"))
        #expect(ArtifactoryRequest.version == ArtifactoryRequest(method: .get, pathAndQuery: "api/system/version"))
    }

    @Test("description and path leave out the query; url joins the base with one slash")
    func description() {
        let request = ArtifactoryRequest(method: .put, pathAndQuery: "/api/storage/r/p?properties=a=b")
        #expect(request.path == "api/storage/r/p")
        #expect(request.description == "PUT api/storage/r/p")
        let delete = ArtifactoryRequest(method: .delete, pathAndQuery: "libs-qa-local/a")
        #expect(delete.url(baseURL: "http://127.0.0.1:8082/") == "http://127.0.0.1:8082/libs-qa-local/a")
    }

    @Test("Fetch Webhooks Troubleshooting Data: on the platform, always bounded by end and count")
    func troubleshooting() {
        let one = ArtifactoryRequest.troubleshooting(
            subscription: "hooks main/1", start: 1_796_600_000_123, end: 1_796_600_060_000, count: 500)
        #expect(one.base == .platform)
        #expect(one.method == .get)
        #expect(
            one.pathAndQuery
                == "event/api/v1/troubleshooting?subscription=hooks%20main%2F1&start=1796600000123&end=1796600060000&count=500"
        )
        let all = ArtifactoryRequest.troubleshooting(subscription: nil, start: -5, end: 10, count: 0)
        #expect(all.pathAndQuery == "event/api/v1/troubleshooting?start=0&end=10&count=1")
    }
}
