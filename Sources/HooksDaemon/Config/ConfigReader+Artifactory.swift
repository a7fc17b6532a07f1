import ArtifactoryAPI
import Foundation
import YAMLDiagnostics

/// `artifactory:`: where the rules' calls go, and with which credential.
extension ConfigReader {
    static var artifactoryKeys: [String] { ConfigFileSchema.artifactory.keyNames }

    /// `artifactory.url`; `ARTIFACTORY_HOOKS_ARTIFACTORY_URL`, when set, replaces it unread. Checked
    /// as a URL once read, at the file's `url` when there is one.
    static var artifactoryURL: ConfigSetting<String?> {
        ConfigSetting(
            "url", variable: "ARTIFACTORY_HOOKS_ARTIFACTORY_URL", variableHidesFile: true, parse: { $0 },
            problem: { _ in "expected a URL" })
    }

    /// `artifactory.platform_url`; `ARTIFACTORY_HOOKS_ARTIFACTORY_PLATFORM_URL` overrides it. An
    /// http(s) URL with a host.
    static var artifactoryPlatformURL: ConfigSetting<URL?> {
        ConfigSetting(
            "platform_url", variable: "ARTIFACTORY_HOOKS_ARTIFACTORY_PLATFORM_URL",
            parse: { text in
                guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                    ["http", "https"].contains(scheme), url.host != nil, url.query == nil, url.fragment == nil
                else { return nil }
                return url
            },
            problem: { _ in "expected an http(s) URL such as https://artifactory.example.com (the JFrog Platform's)" })
    }

    /// `artifactory.timeout` and `artifactory.connect_timeout`.
    static func artifactoryTimeout(_ key: String) -> ConfigSetting<Duration> {
        .duration(key, example: "500ms, 30s or 2m")
    }

    func readArtifactory(_ top: YAMLMappingReader) -> DaemonConfig.Artifactory? {
        var urlText: String?
        var urlNode: YAMLNode?
        var credential: ArtifactoryCredential?
        var timeout = DaemonConfig.Artifactory.defaultTimeout
        var connectTimeout = DaemonConfig.Artifactory.defaultConnectTimeout
        var caFile: String?
        var project: String?
        var platformURL: URL?
        if let node = top.value("artifactory"), let section = YAMLMappingReader(node, in: document) {
            section.rejectUnknownKeys(Self.artifactoryKeys)
            urlNode = section.value("url")
            read(Self.artifactoryURL, in: section, into: &urlText)
            if urlText == nil { document.report("missing \"url\" (https://host/artifactory)", at: node) }
            // Credentials are resolved here so a missing token stops the daemon at start.
            credential = readCredential(section)
            readFile(Self.artifactoryTimeout("timeout"), in: section, into: &timeout)
            readFile(Self.artifactoryTimeout("connect_timeout"), in: section, into: &connectTimeout)
            if let path = section.string("ca_file") {
                caFile = resolvePath(path)
                if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                    document.report(
                        "cannot read CA file \(caFile); give a PEM file of CA certificates",
                        at: section.value("ca_file"))
                }
            }
            project = section.string("project")
            read(Self.artifactoryPlatformURL, in: section, into: &platformURL)
        } else {
            readEnvironment(Self.artifactoryURL, into: &urlText)
            readEnvironment(Self.artifactoryPlatformURL, into: &platformURL)
        }
        guard let urlText else { return nil }
        guard let url = URL(string: urlText), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            document.report("expected an http(s) URL such as https://artifactory.example.com/artifactory", at: urlNode)
            return nil
        }
        guard let credential else {
            if top.value("artifactory") == nil {
                reportEnvironment(
                    "ARTIFACTORY_HOOKS_ARTIFACTORY_URL", "set, but no artifactory section gives a credential")
            }
            return nil
        }
        return DaemonConfig.Artifactory(
            url: url, credential: credential, timeout: timeout, connectTimeout: connectTimeout, caFile: caFile,
            project: project, platformURL: platformURL)
    }

    /// The access token (`token_file`/`token_env`) or `user` with `password_file`/`password_env`.
    func readCredential(_ section: YAMLMappingReader) -> ArtifactoryCredential? {
        let tokens = readSecrets(section, fileKey: "token_file", envKey: "token_env", listKey: nil)
        if let user = section.string("user") {
            let passwords = readSecrets(section, fileKey: "password_file", envKey: "password_env", listKey: nil)
            if passwords.isEmpty {
                document.report("\"user\" needs password_file or password_env", at: section.value("user"))
            }
            return passwords.first.map { .basic(user: user, password: $0) }
        }
        if tokens.isEmpty {
            document.report(
                "no credential: set token_file or token_env (an access token), or user with password_file",
                at: section.node)
        }
        return tokens.first.map { .accessToken($0) }
    }
}
