import Foundation
import YAMLDiagnostics

/// The listener's network settings: `tls`, `trusted_proxies` and an endpoint's `allow_from`.
extension ConfigReader {
    /// Reads `tls: {cert_file, key_file}` and checks that the pair loads.
    func readTLS(_ top: YAMLMappingReader) -> DaemonConfig.TLS? {
        guard let node = top.value("tls"), let section = YAMLMappingReader(node, in: document) else { return nil }
        section.rejectUnknownKeys(ConfigFileSchema.tls.keyNames)
        guard let cert = section.string("cert_file"), let key = section.string("key_file") else {
            document.report(
                "tls needs both cert_file (PEM certificate chain) and key_file (PEM private key)", at: node)
            return nil
        }
        // A bare name may be a systemd credential (LoadCredential=), like the secrets.
        let settings = DaemonConfig.TLS(certFile: resolveCredentialPath(cert), keyFile: resolveCredentialPath(key))
        // Only the daemon serves TLS: the other commands do not need the pair to load.
        guard use == .daemon else { return settings }
        do {
            _ = try TLSCertificates(settings)
        } catch {
            document.report(error.description, at: section.value(error.key))
            return nil
        }
        return settings
    }

    /// Reads a list of addresses or CIDR blocks under `key`; an empty or absent list is `[]`.
    func readAddressBlocks(_ section: YAMLMappingReader, _ key: String) -> [CIDRBlock] {
        guard let node = section.value(key) else { return [] }
        guard let items = node.items else {
            document.report(
                "expected a list of addresses or CIDR blocks (like [10.0.0.0/8, \"fd00::/8\"]), found \(node.typeName)",
                at: node)
            return []
        }
        var blocks: [CIDRBlock] = []
        for item in items {
            guard let text = item.scalar, let block = CIDRBlock(parsing: text) else {
                document.report(
                    "\"\(item.scalar ?? item.typeName)\" is not an address or CIDR block (like 192.0.2.0/24 or fd00::/8)",
                    at: item)
                continue
            }
            blocks.append(block)
        }
        return blocks
    }
}
