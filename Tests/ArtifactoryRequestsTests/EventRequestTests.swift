import ArtifactoryRequests
import Testing

/// The Event API's subscription calls: on the platform URL, keys encoded as one segment.
struct EventRequestTests {
    @Test("List, get, create, update, delete and test subscriptions")
    func subscriptionCalls() throws {
        let list = ArtifactoryRequest.subscriptions
        #expect(list.method == .get && list.base == .platform)
        #expect(list.pathAndQuery == "event/api/v1/subscriptions")
        #expect(
            list.url(baseURL: "https://jfrog.example.com/") == "https://jfrog.example.com/event/api/v1/subscriptions")

        let key = try PathSegment("hooks-deploys")
        #expect(ArtifactoryRequest.subscription(key: key).pathAndQuery == "event/api/v1/subscriptions/hooks-deploys")
        #expect(ArtifactoryRequest.subscription(key: key).base == .platform)

        let create = ArtifactoryRequest.createSubscription(body: #"{"key":"k"}"#)
        #expect(create.method == .post && create.base == .platform)
        #expect(create.pathAndQuery == "event/api/v1/subscriptions")
        #expect(create.contentType == "application/json" && create.body == #"{"key":"k"}"#)

        let update = ArtifactoryRequest.updateSubscription(key: key, body: "{}")
        #expect(update.method == .put && update.base == .platform)
        #expect(update.pathAndQuery == "event/api/v1/subscriptions/hooks-deploys")
        #expect(update.contentType == "application/json")

        let delete = ArtifactoryRequest.deleteSubscription(key: key)
        #expect(delete.method == .delete && delete.body == nil && delete.base == .platform)
        #expect(delete.description == "DELETE platform:event/api/v1/subscriptions/hooks-deploys")

        let test = ArtifactoryRequest.testSubscription(body: "{}")
        #expect(test.method == .post && test.pathAndQuery == "event/api/v1/subscriptions/test")
    }

    @Test("A key is one segment: separators and spaces are encoded, dot segments refused")
    func hostileKeys() throws {
        let request = ArtifactoryRequest.deleteSubscription(key: try PathSegment("a/b c?d"))
        #expect(request.pathAndQuery == "event/api/v1/subscriptions/a%2Fb%20c%3Fd")
        #expect(throws: ArtifactoryRequestError.self) { try PathSegment("..") }
    }
}
