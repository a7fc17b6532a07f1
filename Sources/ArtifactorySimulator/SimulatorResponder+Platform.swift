import Foundation
import HTTPTypes
import Hummingbird

/// The JFrog Platform's services beside Artifactory's context path: the Lifecycle API's Release
/// Bundle v2 distribution, Xray's build scan and the Event API's subscriptions
/// (`SimulatorResponder+Events`), as JFrog's REST API pages describe them. Any other path outside
/// the context path is 404.
extension SimulatorResponder {
    /// The first path segments the simulated platform serves; any other path outside the context
    /// path is 404 before credentials are asked for.
    static let platformServices: Set<String> = ["lifecycle", "xray", "event"]

    func platformRoute(_ call: SimulatorCall) throws(SimulatorError) -> Response {
        let segments = call.target.segments
        if segments.first == "event" { return try eventRoute(call) }
        switch (call.method, segments.count) {
        case (.post, 7) where Array(segments.prefix(5)) == ["lifecycle", "api", "v2", "distribution", "distribute"]:
            return try distribute(call, name: segments[5], version: segments[6])
        case (.post, 4) where segments == ["xray", "api", "v1", "scanBuild"]:
            return try scanBuild(call)
        default:
            throw .notFound("Not Found")
        }
    }

    /// Distribute Release Bundle Version v2. The page shows the request (`distribution_rules`,
    /// `auto_create_missing_repositories`, `modifications`) but no answer; the simulator answers
    /// with the fields of Get Release Bundle v2 Distribution Details.
    private func distribute(_ call: SimulatorCall, name: String, version: String) throws(SimulatorError) -> Response {
        for (what, value, limit) in [("name", name, 128), ("version", version, 32)] {
            guard Self.isReleaseBundlePart(value), value.count <= limit else {
                throw .badRequest(
                    "Release Bundle \(what) must begin with a letter, digit or underscore and hold only letters, "
                        + "digits, underscores, periods and hyphens (at most \(limit))")
            }
        }
        let body = try call.jsonObject()
        let rules = body["distribution_rules"] as? [[String: Any]] ?? []
        let sites = rules.compactMap { $0["site_name"] as? String }
        let distribution = state.withStorage { storage in
            let distribution = SimulatedDistribution(
                id: 748_118_725_179_052_032 + storage.distributions.count, name: name, version: version,
                repositoryKey: call.target.query["repository_key"], project: call.target.query["project"],
                siteNames: sites, user: call.user, at: call.now)
            storage.distributions.append(distribution)
            return distribution
        }
        return .json([
            "distribution_id": distribution.id, "type": "distribute", "release_bundle_name": name,
            "release_bundle_version": version, "status": "In progress", "distributed_by": call.user,
            "distribution_rules": rules,
        ])
    }

    /// Letters, digits, `_`, `.`, `-`, starting with a letter, digit or `_` (Create Release Bundle
    /// v2 Version's usage restrictions).
    private static func isReleaseBundlePart(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isWordScalar(first) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { isWordScalar($0) || $0 == "." || $0 == "-" }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: true
        default: false
        }
    }

    /// Scan Build (Xray v1): `buildName` and `buildNumber` (and `project`) of a build Artifactory
    /// holds; answered with a summary of no alerts.
    private func scanBuild(_ call: SimulatorCall) throws(SimulatorError) -> Response {
        let body = try call.jsonObject()
        guard let name = body["buildName"] as? String, let number = body["buildNumber"] as? String else {
            throw .badRequest("buildName and buildNumber are mandatory")
        }
        let project = (body["project"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        _ = try state.withStorage { storage throws(SimulatorError) in
            try storage.build(name: name, number: number, project: project)
        }
        return .json([
            "summary": [
                "total_alerts": 0, "fail_build": false,
                "message": "Build \(name) number \(number) was scanned by Xray and 0 Alerts were generated",
                "more_details_url": "",
            ],
            "alerts": [Any](), "licenses": [Any](),
        ])
    }
}
