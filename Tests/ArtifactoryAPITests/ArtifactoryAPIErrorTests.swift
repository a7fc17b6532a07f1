import Foundation
import Testing

@testable import ArtifactoryAPI

@Suite("Errors: body decoding, retry classification, Retry-After, no secrets")
struct ArtifactoryAPIErrorTests {
    @Test(
        "HTTP statuses map to codes, and only 5xx and 429 are retryable",
        arguments: [
            (400, ArtifactoryAPIError.Code.badRequest, false),
            (401, .unauthorized, false),
            (403, .forbidden, false),
            (404, .notFound, false),
            (405, .clientError, false),
            (409, .conflict, false),
            (413, .clientError, false),
            (429, .rateLimited, true),
            (500, .serverError, true),
            (502, .serverError, true),
            (503, .serverError, true),
            (504, .serverError, true),
            (302, .unexpectedStatus, false),
            (101, .unexpectedStatus, false),
        ])
    func classification(status: Int, code: ArtifactoryAPIError.Code, retryable: Bool) {
        let error = ArtifactoryAPIError(code: .init(status: status), status: status)
        #expect(error.code == code)
        #expect(error.isRetryable == retryable)
    }

    @Test("local and transport failures: connection, timeout and cancellation retry; the rest do not")
    func localCodes() {
        let retryable = ArtifactoryAPIError.Code.allCases.filter(\.isRetryable)
        #expect(Set(retryable) == [.connectionFailed, .timeout, .cancelled, .rateLimited, .serverError])
    }

    @Test("the documented error body gives Artifactory's messages")
    func errorsBody() {
        let body = Array(
            #"{"errors" : [ {"status" : 404, "message" : "File not found."}, {"status": 404, "message": "second"} ]}"#
                .utf8)
        #expect(
            ArtifactoryAPIError.messages(fromBody: body, contentType: "application/json") == [
                "File not found.", "second",
            ])
    }

    @Test("a promotion or copy report gives its messages; plain text is kept; HTML is not")
    func otherBodies() {
        let report = Array(#"{"messages":[{"level":"ERROR","message":"The repository has denied...."}]}"#.utf8)
        #expect(ArtifactoryAPIError.messages(fromBody: report, contentType: nil) == ["The repository has denied...."])
        #expect(
            ArtifactoryAPIError.messages(fromBody: Array("Bad Gateway\n".utf8), contentType: "text/plain") == [
                "Bad Gateway"
            ])
        #expect(
            ArtifactoryAPIError.messages(fromBody: Array("<html>502</html>".utf8), contentType: "text/html").isEmpty)
        #expect(ArtifactoryAPIError.messages(fromBody: [], contentType: "application/json").isEmpty)
    }

    @Test("Retry-After in seconds")
    func retryAfterSeconds() {
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(" 0 ") == .zero)
        #expect(RetryAfter.parse("-5") == nil)
        #expect(RetryAfter.parse("soon") == nil)
    }

    @Test("Retry-After as an HTTP-date, in all three forms, relative to now")
    func retryAfterDate() {
        let now = Date(timeIntervalSince1970: 1_445_412_450)  // Wed, 21 Oct 2015 07:27:30 GMT
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Wed Oct 21 07:28:00 2015", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
        #expect(RetryAfter.httpDate(now) == "Wed, 21 Oct 2015 07:27:30 GMT")
    }

    @Test("a credential's descriptions never show the secret")
    func credentialDescriptions() {
        let token = ArtifactoryCredential.accessToken("tok-SECRET-123")
        let basic = ArtifactoryCredential.basic(user: "ci", password: "pw-SECRET-456")
        for credential in [token, basic] {
            for text in [String(describing: credential), String(reflecting: credential), "\(credential)"] {
                #expect(!text.contains("SECRET"))
            }
            var dumped = ""
            dump(credential, to: &dumped)
            #expect(!dumped.contains("SECRET"))
        }
        #expect(basic.description.contains("ci"))
    }

    @Test("the description names the call, status and messages, and is stable")
    func description() {
        let error = ArtifactoryAPIError(
            code: .rateLimited, status: 429, messages: ["Too Many Requests"], retryAfter: .seconds(7),
            request: "PUT api/storage/r/p")
        #expect(
            error.description == "Artifactory answered 429 (PUT api/storage/r/p): Too Many Requests [retry after 7s]")
    }
}
