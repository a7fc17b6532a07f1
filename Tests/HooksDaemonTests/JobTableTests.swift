import Foundation
import HooksDaemon
import Storage
import Testing

@Suite("jobs show")
struct JobTableTests {
    static func job(request: String) -> StoredJob {
        StoredJob(
            id: 7, eventID: 3, rule: "stage", actionIndex: 0, kind: "promote_build", subject: "build:app#1",
            request: request, origin: .ingest, state: .dead, attemptCount: 1,
            createdAt: Date(timeIntervalSince1970: 1_764_410_400), dueAt: Date(timeIntervalSince1970: 1_764_410_400),
            finishedAt: nil, lastError: nil)
    }

    @Test("a job with a body shows it, so a promotion says whether it copies or moves")
    func showsTheBody() {
        let request =
            #"{"action_index":0,"body":"{\"status\":\"staged\",\"copy\":false}","content_type":"application/json","kind":"promote_build","method":"POST","path":"api/build/promote/app/1","rule":"stage","subject":"build:app#1"}"#
        let text = JobTable.detail(Self.job(request: request), attempts: [])
        #expect(
            text.contains(
                "  request:   POST api/build/promote/app/1\n  body:      {\"status\":\"staged\",\"copy\":false}\n"))
    }

    @Test("a job without a body shows no body line")
    func noBody() {
        let request =
            #"{"action_index":0,"kind":"set_properties","method":"PUT","path":"api/storage/r/a?properties=a=b","rule":"t","subject":"artifact:r/a"}"#
        let text = JobTable.detail(Self.job(request: request), attempts: [])
        #expect(text.contains("  request:   PUT api/storage/r/a?properties=a=b\n  created:"))
        #expect(!text.contains("body:"))
    }
}
