import YAMLDiagnostics

/// The top-level keys of one value: `listen`, `admin_listen`, `rules_poll_interval` (and `rules`
/// in its short form, read with its section in `ConfigReader+Rules`).
extension ConfigReader {
    /// `listen`: `host:port`; `ARTIFACTORY_HOOKS_LISTEN`, when set, replaces it unread.
    static var listen: ConfigSetting<DaemonConfig.ListenAddress> {
        ConfigSetting(
            "listen", variable: "ARTIFACTORY_HOOKS_LISTEN", variableHidesFile: true,
            parse: DaemonConfig.ListenAddress.init(parsing:),
            problem: { "expected host:port (for example 127.0.0.1:8470), found \"\($0)\"" },
            environmentProblem: { "expected host:port, found \"\($0)\"" })
    }

    /// `admin_listen`: `host:port`, or `off` / `""` for none; `ARTIFACTORY_HOOKS_ADMIN_LISTEN`,
    /// when set (`off` or empty too), replaces it unread.
    static var adminListen: ConfigSetting<DaemonConfig.ListenAddress?> {
        ConfigSetting(
            "admin_listen", variable: "ARTIFACTORY_HOOKS_ADMIN_LISTEN", variableHidesFile: true,
            text: .emptyAllowed(expected: "host:port or off"),
            parse: { text -> DaemonConfig.ListenAddress?? in
                if isOff(text) { return .some(nil) }
                guard let address = DaemonConfig.ListenAddress(parsing: text) else { return nil }
                return .some(address)
            },
            problem: {
                "expected host:port (for example 127.0.0.1:9465), or off to serve /metrics on the webhook listener, found \"\($0)\""
            },
            environmentProblem: { "expected host:port or off, found \"\($0)\"" })
    }

    /// `rules_poll_interval`: how often the rules directory is checked; `0` on SIGHUP only.
    static var rulesPollInterval: ConfigSetting<Duration> {
        .duration("rules_poll_interval", example: "2s or 0 (reload on SIGHUP only)", allowsZero: true)
    }
}
