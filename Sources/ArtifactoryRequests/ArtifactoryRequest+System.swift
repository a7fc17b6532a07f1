extension ArtifactoryRequest {
    /// System Health Ping: `GET api/system/ping`, answered `OK` in plain text.
    public static let ping = ArtifactoryRequest(method: .get, pathAndQuery: "api/system/ping")

    /// Version and Add-ons information: `GET api/system/version`.
    public static let version = ArtifactoryRequest(method: .get, pathAndQuery: "api/system/version")
}
