import ArtifactoryAPI
import Foundation
import Rules
import Testing

@testable import HooksDaemon

/// The pure parts of `doctor`: the token's identity, the permission verdicts, the clock and the
/// certificate thresholds, and the output line.
struct DoctorChecksTests {
    @Test("a JWT's subject and scope say the user and admin; anything else says nothing")
    func identity() {
        let admin = TokenIdentity(.accessToken(DoctorCommandTests.adminToken))
        #expect(admin == TokenIdentity(user: "hooks-admin", admin: true))
        let groups = TokenIdentity(
            .accessToken(DoctorCommandTests.jwt(#"{"sub":"jfrt@1/users/ci","scp":"applied-permissions/groups:ci,qa"}"#))
        )
        #expect(groups == TokenIdentity(user: "ci", admin: false, groups: ["ci", "qa"]))
        #expect(TokenIdentity(.accessToken("cmVmdGtuOjAxOjE3")) == TokenIdentity(user: nil))
        #expect(TokenIdentity(.accessToken("a.!!!.c")) == TokenIdentity(user: nil))
        #expect(TokenIdentity(.basic(user: "deployer", password: "p")) == TokenIdentity(user: "deployer"))
    }

    @Test("permission verdicts: a key, ANY, manage, a glob only partly covered, nothing")
    func verdicts() throws {
        let body = Array(
            #"""
            [{"name":"a","repo":{"repositories":["libs-release-local"],"actions":["read","annotate"]}},
             {"name":"b","repo":{"repositories":["ANY LOCAL"],"actions":["read"]}},
             {"name":"c","repo":{"repositories":["ops-local"],"actions":["manage"]}}]
            """#.utf8)
        let targets = try #require(PermissionCoverage.targets(from: body))
        func need(_ action: RequiredPermission.Action, _ scope: RequiredPermission.Scope) -> PermissionCoverage.Verdict
        {
            PermissionCoverage.verdict(
                RequiredPermission(rule: "r", file: "f", line: 1, action: action, scope: scope), targets: targets)
        }
        #expect(need(.annotate, .repository("libs-release-local")) == .covered)
        #expect(need(.read, .repository("anything")) == .covered)
        #expect(need(.delete, .repository("ops-local")) == .covered)
        #expect(need(.write, .repository("libs-release-local")) == .missing)
        #expect(need(.annotate, .prefix("libs-")) == .unknown)
        #expect(need(.annotate, .prefix("docker-")) == .missing)
        #expect(need(.annotate, .any) == .unknown)
        #expect(need(.write, .any) == .unknown)
        #expect(PermissionCoverage.targets(from: Array("{}".utf8)) == nil)
    }

    @Test("the clock: OK within 30 s, a warning past it, a failure past 5 minutes, either way")
    func clock() {
        let remote = Date(timeIntervalSince1970: 1_800_000_000)
        let header = "Fri, 15 Jan 2027 08:00:00 GMT"
        #expect(Doctor.httpDate(header) == remote)
        #expect(Doctor.clockCheck(dateHeader: header, local: remote.addingTimeInterval(10)).status == .ok)
        #expect(Doctor.clockCheck(dateHeader: header, local: remote.addingTimeInterval(-45)).status == .warn)
        let far = Doctor.clockCheck(dateHeader: header, local: remote.addingTimeInterval(400))
        #expect(far.status == .fail && far.detail.contains("400 s ahead of Artifactory"), "\(far.detail)")
        #expect(Doctor.clockCheck(dateHeader: nil, local: remote).status == .warn)
        #expect(Doctor.clockCheck(dateHeader: "yesterday", local: remote).status == .warn)
    }

    @Test("certificates: OK, a warning under 14 days, a failure once expired")
    func certificates() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func check(days: Double) -> DoctorCheck.Status {
            CertificateExpiry.check(
                notValidAfter: now.addingTimeInterval(days * 86_400), of: "c", name: "tls", now: now, todo: "renew"
            ).status
        }
        #expect(check(days: 90) == .ok)
        #expect(check(days: 13) == .warn)
        #expect(check(days: -1) == .fail)
    }

    @Test("the line: status padded, control characters escaped, notes indented")
    func line() {
        #expect(DoctorCheck.ok("store", "fine").text == "OK  store: fine\n")
        let bad = DoctorCheck(.fail, "config", "x\u{1B}[2Jy — fix", notes: ["a.yml:1:1: error"])
        #expect(bad.text == "FAIL config: x\\u{1B}[2Jy — fix\n     a.yml:1:1: error\n")
    }
}
