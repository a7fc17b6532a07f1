import Hummingbird

/// Get Permission Targets Per User (`GET api/v2/security/permissions/users/{user}`), as JFrog's
/// REST API page describes it: an admin, or a user with Manage on a permission target, gets the
/// user's targets as a JSON array; anyone else gets 403.
extension SimulatorResponder {
    func permissionTargets(_ call: SimulatorCall, user: String) throws(SimulatorError) -> Response {
        let own = configuration.permissionTargets[call.user] ?? []
        let manages = own.contains { $0.actions.contains("manage") }
        guard configuration.admins.contains(call.user) || manages else {
            throw SimulatorError(.forbidden, "Forbidden")
        }
        guard configuration.users[user] != nil || configuration.permissionTargets[user] != nil else {
            throw .notFound("User \(user) does not exist")
        }
        return .json((configuration.permissionTargets[user] ?? []).map(\.json))
    }
}
