/// The release version printed by `--version`.
enum Version {
    static let current = "0.1.0"
}
