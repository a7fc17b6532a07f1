import YAMLDiagnostics

/// `ingest:`: limits on incoming deliveries.
extension ConfigReader {
    static var ingestKeys: [String] { ConfigFileSchema.ingest.keyNames }

    static var maxBodyBytes: ConfigSetting<Int> {
        .size(
            "max_body_bytes", variable: "ARTIFACTORY_HOOKS_INGEST_MAX_BODY_BYTES", example: "1048576, 512KiB or 1MiB")
    }

    static var dedupWindow: ConfigSetting<Duration> {
        .duration(
            "dedup_window", variable: "ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW", example: "30s, 5m, 1h or 0 (off)",
            environmentExample: "30s, 5m or 1h", allowsZero: true)
    }

    static var maxBufferedBytes: ConfigSetting<Int> {
        .size(
            "max_buffered_bytes", variable: "ARTIFACTORY_HOOKS_INGEST_MAX_BUFFERED_BYTES", example: "64MiB or 67108864")
    }

    func readIngest(_ top: YAMLMappingReader) -> DaemonConfig.Ingest {
        var ingest = DaemonConfig.Ingest()
        let maxConnections = Self.maxConnections(variable: "ARTIFACTORY_HOOKS_INGEST_MAX_CONNECTIONS")
        if let node = top.value("ingest"), let section = YAMLMappingReader(node, in: document) {
            section.rejectUnknownKeys(Self.ingestKeys)
            readFile(Self.maxBodyBytes, in: section, into: &ingest.maxBodyBytes)
            readFile(Self.dedupWindow, in: section, into: &ingest.dedupWindow)
            readFile(.timeout("idle_timeout", example: "30s, 2m or 0 (never)"), in: section, into: &ingest.idleTimeout)
            readFile(.timeout("body_timeout", example: "10s, 1m or 0 (never)"), in: section, into: &ingest.bodyTimeout)
            readFile(Self.maxBufferedBytes, in: section, into: &ingest.maxBufferedBytes)
            readFile(maxConnections, in: section, into: &ingest.maxConnections)
        }
        readEnvironment(maxConnections, into: &ingest.maxConnections)
        readEnvironment(Self.maxBodyBytes, into: &ingest.maxBodyBytes)
        readEnvironment(Self.dedupWindow, into: &ingest.dedupWindow)
        readEnvironment(Self.maxBufferedBytes, into: &ingest.maxBufferedBytes)
        return ingest
    }
}
