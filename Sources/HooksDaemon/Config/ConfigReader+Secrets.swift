import Foundation
import YAMLDiagnostics

/// Secrets and credentials: `*_file` (or a systemd credential), `*_env`, and lists of them.
extension ConfigReader {
    /// Whether an endpoint writes any secret key, even one that did not read.
    func hasSecretKey(_ section: YAMLMappingReader) -> Bool {
        ["secret_file", "secret_env", "secrets"].contains { section.value($0) != nil }
    }

    /// Reads `fileKey`, `envKey` and (optionally) a `listKey` of `{file: …}`, `{env: …}` or literal
    /// items; reports unreadable files, unset variables and empty secrets.
    func readSecrets(
        _ section: YAMLMappingReader, fileKey: String, envKey: String, listKey: String?, neededByCommands: Bool = false
    ) -> [String] {
        if use == .commands, !neededByCommands {
            let given = [fileKey, envKey, listKey].contains { $0.map { section.value($0) != nil } ?? false }
            return given ? [Self.unreadCredential] : []
        }
        var secrets: [String] = []
        if let name = section.string(fileKey), let secret = secretFromFile(name, at: section.value(fileKey)) {
            secrets.append(secret)
        }
        if let variable = section.string(envKey),
            let secret = secretFromEnvironment(variable, at: section.value(envKey))
        {
            secrets.append(secret)
        }
        if let listKey, let list = section.value(listKey) {
            guard let items = list.items, !items.isEmpty else {
                let found = list.items == nil ? list.typeName : "an empty list"
                document.report(
                    "expected a list of secrets ({file: …}, {env: …} or text), found \(found)", at: list)
                return secrets
            }
            for item in items {
                if let literal = item.scalar {
                    // `- ~` or `- null` is YAML's null, not the text "null": never a secret.
                    if literal.isEmpty || item.isNull {
                        document.report("an empty secret is not a secret", at: item)
                    } else {
                        secrets.append(literal)
                    }
                } else if let entry = YAMLMappingReader(item, in: document) {
                    let strayKey = entry.rejectUnknownKeysWithoutEchoing(
                        ConfigFileSchema.secretEntry.keyNames,
                        hint: "a secret written in the list with \": \" in it needs quotes")
                    if let name = entry.string("file"), let secret = secretFromFile(name, at: entry.value("file")) {
                        secrets.append(secret)
                    } else if let variable = entry.string("env"),
                        let secret = secretFromEnvironment(variable, at: entry.value("env"))
                    {
                        secrets.append(secret)
                    } else if !strayKey, entry.value("file") == nil, entry.value("env") == nil {
                        document.report("a secret entry needs \"file\" or \"env\"", at: item)
                    }
                }
            }
        }
        return secrets
    }

    func secretFromFile(_ name: String, at node: YAMLNode?) -> String? {
        let path = resolveCredentialPath(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            document.report("cannot read secret file \(path); create it (mode 0600) or fix the path", at: node)
            return nil
        }
        let secret = SecretFileText.secret(in: data)
        guard !secret.isEmpty else {
            document.report("secret file \(path) is empty", at: node)
            return nil
        }
        guard !secret.allSatisfy(\.isWhitespace) else {
            document.report("secret file \(path) holds only spaces; write the secret into it", at: node)
            return nil
        }
        return secret
    }

    func secretFromEnvironment(_ variable: String, at node: YAMLNode?) -> String? {
        // A trailing newline (an environment file written on Windows leaves "\r") is ignored, as in files.
        guard let secret = environment[variable]?.trimmingCharacters(in: .newlines), !secret.isEmpty else {
            document.report(
                "environment variable \(variable) is not set or empty; export it or use secret_file", at: node)
            return nil
        }
        guard !secret.allSatisfy(\.isWhitespace) else {
            document.report("environment variable \(variable) holds only spaces; set it to the secret", at: node)
            return nil
        }
        return secret
    }
}
