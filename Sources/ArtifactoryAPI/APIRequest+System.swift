extension APIRequest {
    /// System Health Ping: `GET api/system/ping`, answered `OK` in plain text.
    public static let ping = APIRequest(method: .get, pathAndQuery: "api/system/ping")

    /// Version and Add-ons information: `GET api/system/version`.
    public static let version = APIRequest(method: .get, pathAndQuery: "api/system/version")
}
