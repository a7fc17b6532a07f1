import ArtifactoryAPI
import Foundation
import Testing

@Suite("Requests in the documented forms")
struct APIRequestTests {
    @Test("Set Item Properties")
    func setProperties() {
        let request = APIRequest.setProperties(
            repo: "libs-release-local", path: "ch/qos/logback/logback-classic/0.9.9",
            properties: ["os": ["win", "linux"], "qa": ["done"]], recursive: false)
        #expect(request.method == .put)
        #expect(
            request.pathAndQuery
                == "api/storage/libs-release-local/ch/qos/logback/logback-classic/0.9.9?properties=os=win,linux;qa=done&recursive=0"
        )
        #expect(request.body == nil)
    }

    @Test("Delete Item Properties")
    func deleteProperties() {
        let request = APIRequest.deleteProperties(
            repo: "libs-release-local", path: "ch/qos/logback/logback-classic/0.9.9", keys: ["os", "qa"],
            recursive: true)
        #expect(request.method == .delete)
        #expect(
            request.pathAndQuery
                == "api/storage/libs-release-local/ch/qos/logback/logback-classic/0.9.9?properties=os,qa&recursive=1")
    }

    @Test("Get Item Properties, all or some")
    func getProperties() {
        #expect(
            APIRequest.getProperties(repo: "libs-release-local", path: "org/acme").pathAndQuery
                == "api/storage/libs-release-local/org/acme?properties")
        #expect(
            APIRequest.getProperties(repo: "libs-release-local", path: "org/acme", keys: ["x", "y"]).pathAndQuery
                == "api/storage/libs-release-local/org/acme?properties=x,y")
        #expect(
            APIRequest.getProperties(repo: "libs-release-local", path: "").pathAndQuery
                == "api/storage/libs-release-local?properties")
    }

    @Test("Build Promotion: encoded name, project, JSON body without unset fields")
    func promote() throws {
        let request = APIRequest.promoteBuild(
            name: "team/app", number: "51",
            promotion: BuildPromotion(
                status: "staged", comment: "Tested on all target platforms.", ciUser: "builder",
                timestamp: "2016-02-11T18:30:24.825+0200", dryRun: false, targetRepo: "libs-release-local",
                copy: false, properties: ["components": ["c1", "c3"]]),
            project: "my proj")
        #expect(request.method == .post)
        #expect(request.pathAndQuery == "api/build/promote/team%2Fapp/51?project=my%20proj")
        #expect(request.contentType == "application/json")
        let body = String(decoding: try #require(request.body), as: UTF8.self)
        #expect(
            body
                == #"{"ciUser":"builder","comment":"Tested on all target platforms.","copy":false,"dryRun":false,"properties":{"components":["c1","c3"]},"status":"staged","targetRepo":"libs-release-local","timestamp":"2016-02-11T18:30:24.825+0200"}"#
        )
    }

    @Test("Build Info, with and without a project")
    func buildInfo() {
        #expect(APIRequest.buildInfo(name: "my-build", number: "51").pathAndQuery == "api/build/my-build/51")
        #expect(
            APIRequest.buildInfo(name: "a/b c", number: "1.0/2", project: "p").pathAndQuery
                == "api/build/a%2Fb%20c/1.0%2F2?project=p")
    }

    @Test("Copy and Move send every switch")
    func copyAndMove() {
        let source = ItemLocation(repo: "libs-release-local", path: "org/acme")
        let target = ItemLocation(repo: "ext-releases-local", path: "org/acme-new")
        #expect(
            APIRequest.move(from: source, to: target, options: .init(dryRun: true)).pathAndQuery
                == "api/move/libs-release-local/org/acme?to=/ext-releases-local/org/acme-new&dry=1&suppressLayouts=1&failFast=0"
        )
        let copy = APIRequest.copy(
            from: ItemLocation(repo: "r", path: "a b/c&d"), to: ItemLocation(repo: "t", path: "x?y"),
            options: .init(suppressLayouts: false, failFast: true))
        #expect(copy.method == .post)
        #expect(copy.pathAndQuery == "api/copy/r/a%20b/c%26d?to=/t/x%3Fy&dry=0&suppressLayouts=0&failFast=1")
    }

    @Test("Delete Item is a DELETE of the item's own URL")
    func deleteItem() {
        let request = APIRequest.deleteItem(ItemLocation(repo: "libs-release-local", path: "ch/qos/logback/0.9.9"))
        #expect(request.method == .delete)
        #expect(request.pathAndQuery == "libs-release-local/ch/qos/logback/0.9.9")
    }

    @Test("AQL is a text/plain POST; ping and version are GETs")
    func searchAndSystem() {
        let aql = APIRequest.aql(#"items.find({"repo":{"$eq":"libs-release-local"}})"#)
        #expect(aql.method == .post)
        #expect(aql.pathAndQuery == "api/search/aql")
        #expect(aql.contentType == "text/plain")
        #expect(aql.body == Array(#"items.find({"repo":{"$eq":"libs-release-local"}})"#.utf8))
        #expect(APIRequest.ping.pathAndQuery == "api/system/ping")
        #expect(APIRequest.version.pathAndQuery == "api/system/version")
    }

    @Test("description and path leave out the query")
    func description() {
        let request = APIRequest(method: .put, pathAndQuery: "/api/storage/r/p?properties=a=b")
        #expect(request.path == "api/storage/r/p")
        #expect(request.description == "PUT api/storage/r/p")
    }

    @Test("the promotion timestamp has the documented form")
    func timestamp() {
        #expect(
            BuildPromotion.timestamp(for: Date(timeIntervalSince1970: 1_455_211_824.825))
                == "2016-02-11T17:30:24.825+0000")
    }
}
