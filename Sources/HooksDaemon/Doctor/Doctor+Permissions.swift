import ArtifactoryAPI
import ArtifactoryRequests
import Rules

extension Doctor {
    /// The rules' needs (``RuleSet/requiredPermissions``) against the user's permission targets
    /// (Get Permission Targets Per User). An admin-scoped token has them all; when the user's
    /// targets cannot be read, a warning lists what to verify by hand.
    static func checkPermissions(
        _ needs: [RequiredPermission], identity: TokenIdentity, client: ArtifactoryClient,
        report: (DoctorCheck) -> Void
    ) async {
        guard !needs.isEmpty else {
            report(.ok("permissions", "the rules act on no repository item"))
            return
        }
        if identity.admin {
            report(.ok("permissions", "the token has admin scope: every repository action the rules take is allowed"))
            return
        }
        let summary = summarize(needs)
        guard let user = identity.user, identity.groups.isEmpty else {
            report(
                .warn(
                    "permissions",
                    "cannot tell whose permissions the token carries (a reference token, or one scoped to groups); "
                        + "make sure it has \(summary)"))
            return
        }
        let targets: [PermissionCoverage.Target]
        do {
            let response = try await client.execute(.permissionTargets(user: try PathSegment(user)))
            guard let parsed = PermissionCoverage.targets(from: response.body) else {
                report(
                    .warn(
                        "permissions",
                        "the permission targets of \(user) are not a JSON array; make sure \(user) has \(summary)"))
                return
            }
            targets = parsed
        } catch let error as ArtifactoryAPIError where error.code == .forbidden || error.code == .notFound {
            report(
                .warn(
                    "permissions",
                    "cannot read the permission targets of user \(user) (\(error.status ?? 0): reading them needs admin "
                        + "or Manage on a permission target); make sure \(user) has \(summary)"))
            return
        } catch {
            report(.warn("permissions", "cannot read the permission targets of user \(user): \(error)"))
            return
        }
        var problems = 0
        for need in needs {
            let place = "\(need.rule) (\(need.file):\(need.line))"
            switch PermissionCoverage.verdict(need, targets: targets) {
            case .covered:
                continue
            case .missing:
                problems += 1
                report(
                    .fail(
                        "permissions",
                        "rule \(place) needs \(need.action.rawValue) on \(need.scope), and no permission target of user "
                            + "\(user) grants it",
                        "add \(need.action.rawValue) on \(need.scope) to a permission target of \(user) (a group's "
                            + "targets are not read: if a group grants it, this is a false alarm)"))
            case .unknown:
                problems += 1
                report(
                    .warn(
                        "permissions",
                        "rule \(place) needs \(need.action.rawValue) on \(need.scope); \(user)'s targets grant it on "
                            + "some repositories only: make sure it covers every one the rule reaches"))
            }
        }
        if problems == 0 {
            report(.ok("permissions", "user \(user) has \(summary)"))
        }
    }

    /// `read, annotate on libs-release-local; write on libs-prod`.
    static func summarize(_ needs: [RequiredPermission]) -> String {
        var byScope: [String: Set<RequiredPermission.Action>] = [:]
        var order: [String] = []
        for need in needs {
            let scope = need.scope.description
            if byScope[scope] == nil { order.append(scope) }
            byScope[scope, default: []].insert(need.action)
        }
        return order.map { scope in
            (byScope[scope] ?? []).sorted().map(\.rawValue).joined(separator: ", ") + " on " + scope
        }.joined(separator: "; ")
    }

    /// Each configured subscription against what the Event API lists (the plan of `subscriptions
    /// plan`): a missing or drifted one fails.
    static func checkSubscriptions(_ config: DaemonConfig, client: ArtifactoryClient, report: (DoctorCheck) -> Void)
        async
    {
        let plan: SubscriptionPlan
        do {
            plan = try await SubscriptionSync.plan(config: config, prune: false, client: client)
        } catch {
            let todo =
                error.code == .forbidden || error.code == .unauthorized
                ? "the token needs admin or the Manage Webhooks permission to read (and apply) subscriptions"
                : "check artifactory.platform_url (the Event API is on the platform URL)"
            report(.fail("subscriptions", "cannot list the Event API's subscriptions: \(error)", todo))
            return
        }
        for item in plan.items {
            let name = "subscription \(item.key)"
            switch item.action {
            case .unchanged:
                report(.ok(name, "Artifactory holds it as configured"))
            case .create:
                report(
                    .fail(name, "Artifactory has no such subscription", "run `artifactory-hooks subscriptions apply`"))
            case .update:
                let fields = item.changes.map(\.field) + (item.secretChanged ? ["secret"] : [])
                report(
                    .fail(
                        name, "Artifactory's differs in \(fields.joined(separator: ", "))",
                        "`subscriptions plan` shows how; `subscriptions apply` sets it as configured"))
            case .delete:
                continue
            }
        }
    }
}
