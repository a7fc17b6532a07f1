import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules

extension Doctor {
    /// Ping, then version (the first call that needs the credential), the clock against the
    /// answer's `Date`, the rules' permissions, the subscriptions and the troubleshooting store
    /// catch-up reads, and the server's certificate.
    /// After a failed ping or a refused credential the calls that need them are not made.
    static func checkArtifactory(
        _ artifactory: DaemonConfig.Artifactory, config: DaemonConfig, rules: RuleSet?,
        now: @Sendable () -> Date, report: (DoctorCheck) -> Void
    ) async {
        let client: ArtifactoryClient
        do {
            client = try Self.client(artifactory)
        } catch {
            report(.fail("artifactory", "cannot set up the client: \(error)", "check artifactory.ca_file"))
            return
        }
        await checkArtifactory(artifactory, client: client, config: config, rules: rules, now: now, report: report)
        try? await client.shutdown()
    }

    private static func checkArtifactory(
        _ artifactory: DaemonConfig.Artifactory, client: ArtifactoryClient, config: DaemonConfig, rules: RuleSet?,
        now: @Sendable () -> Date, report: (DoctorCheck) -> Void
    ) async {
        let url = artifactory.url.absoluteString
        do {
            _ = try await client.execute(.ping)
            report(.ok("artifactory", "\(url) answers ping"))
        } catch  where error.code == .unauthorized {
            // Artifactory refuses a wrong credential even on ping: reachable, but the token is not.
            report(.ok("artifactory", "\(url) answers"))
            report(tokenProblem(error))
            return
        } catch {
            report(
                .fail(
                    "artifactory", "\(url) does not answer ping: \(error)",
                    "check artifactory.url, DNS, the firewall and any proxy; for a private CA set artifactory.ca_file"))
            if artifactory.url.scheme == "https" {
                await checkServerCertificate(artifactory.url, now: now, report: report)
            }
            return
        }
        let identity = TokenIdentity(artifactory.credential)
        let before = now()
        let version: APIResponse
        do {
            version = try await client.execute(.version)
        } catch {
            report(tokenProblem(error))
            return
        }
        let after = now()
        let number = (try? JSONParser.parse(version.body))?["version"]?.stringValue ?? "unknown"
        report(.ok("artifactory", "version \(number)"))
        report(.ok("token", "accepted; " + describe(identity)))
        report(
            clockCheck(
                dateHeader: version.header("date"),
                local: before.addingTimeInterval(after.timeIntervalSince(before) / 2)))
        if let rules {
            await checkPermissions(rules.requiredPermissions, identity: identity, client: client, report: report)
        }
        if !config.subscriptions.webhooks.isEmpty {
            await checkSubscriptions(config, client: client, report: report)
            await checkCatchUp(config, client: client, now: now(), report: report)
        }
        if artifactory.url.scheme == "https" { await checkServerCertificate(artifactory.url, now: now, report: report) }
    }

    /// The failure of the first authenticated call.
    private static func tokenProblem(_ error: ArtifactoryAPIError) -> DoctorCheck {
        switch error.code {
        case .unauthorized:
            .fail(
                "token", "Artifactory refused the credential (401: wrong, revoked or expired)",
                "create an access token (Administration → User Management → Access Tokens) and put it in the file "
                    + "artifactory.token_file names (or the variable token_env names)")
        case .forbidden:
            .fail(
                "token", "Artifactory accepted the credential but refused to answer (403)",
                "give the token's user at least read access, or use another token")
        default:
            .fail("token", "api/system/version failed: \(error)", "see the message; doctor could not check the token")
        }
    }

    private static func describe(_ identity: TokenIdentity) -> String {
        guard let user = identity.user else { return "the credential does not say which user it acts as" }
        if identity.admin { return "acts as user \(user) with admin scope" }
        if !identity.groups.isEmpty {
            return "acts as user \(user), scoped to groups \(identity.groups.joined(separator: ", "))"
        }
        return "acts as user \(user)"
    }

    /// The clock against Artifactory's `Date` (read at `local`, the middle of the call).
    static func clockCheck(dateHeader: String?, local: Date) -> DoctorCheck {
        let why = "signed deliveries carry timestamps, and the dedup and retention windows run on this clock"
        guard let dateHeader, let remote = httpDate(dateHeader) else {
            return .warn("clock", "Artifactory's answer has no readable Date header; the clocks were not compared")
        }
        let skew = local.timeIntervalSince(remote)
        let seconds = Int(abs(skew).rounded())
        let direction = skew > 0 ? "ahead of" : "behind"
        let todo = "run NTP (systemd-timesyncd or chrony) on this host and on Artifactory's"
        if abs(skew) > 300 {
            return .fail("clock", "this host is \(seconds) s \(direction) Artifactory; \(why)", todo)
        }
        if abs(skew) > 30 {
            return .warn("clock", "this host is \(seconds) s \(direction) Artifactory; \(why) — \(todo)")
        }
        return .ok("clock", "within \(max(seconds, 1)) s of Artifactory's")
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
