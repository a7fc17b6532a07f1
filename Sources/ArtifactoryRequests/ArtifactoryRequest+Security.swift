/// Artifactory's security API, read by `doctor` to learn what the configured user may do.
extension ArtifactoryRequest {
    /// Get Permission Targets Per User: `GET api/v2/security/permissions/users/{user}`, answered
    /// with a JSON array of permission targets, each with a `repo` (and `build`) object holding
    /// `repositories` (keys, or `ANY`, `ANY LOCAL`, `ANY REMOTE`) and `actions` (`read`,
    /// `annotate`, `write`, `delete`, `manage`). Needs an admin or a user with Manage on a
    /// permission target; others get 403.
    public static func permissionTargets(user: PathSegment) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .get, pathAndQuery: "api/v2/security/permissions/users/" + user.encoded)
    }
}
