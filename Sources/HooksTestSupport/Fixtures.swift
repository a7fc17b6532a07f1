public import Foundation

/// Paths into the repository's `fixtures/` folder, for tests.
public enum Fixtures {
    /// The repository root (three levels above this file).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `fixtures/`.
    public static let root = repositoryRoot.appendingPathComponent("fixtures")

    /// Every `*.json` file below `fixtures/events`, relative to it (`artifact/deployed.json`), sorted.
    public static func eventFiles() -> [String] {
        let base = root.appendingPathComponent("events")
        let enumerator = FileManager.default.enumerator(atPath: base.path)
        var files: [String] = []
        while let next = enumerator?.nextObject() as? String {
            if next.hasSuffix(".json") { files.append(next) }
        }
        return files.sorted()
    }

    /// The bytes of a fixture file, by path relative to `fixtures/`.
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }
}
