import ArtifactoryEvents
import Foundation
import Rules

/// Paths and loaders for the repository's fixtures.
enum Fixtures {
    /// The repository root (this file is Tests/RulesTests/Fixtures.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// A fixture event by `DOMAIN/EVENT_TYPE`.
    static func event(_ name: String) throws -> WebhookEvent {
        let data = try Data(contentsOf: root.appendingPathComponent("fixtures/events/\(name).json"))
        return try WebhookEvent(body: Array(data))
    }

    /// An event from JSON text.
    static func event(json: String) throws -> WebhookEvent {
        try WebhookEvent(body: Array(json.utf8))
    }

    /// Rule sources read from `fixtures/rules/RELATIVE` (a file or a directory), named by file name.
    static func ruleSources(_ relative: String) throws -> [RuleSource] {
        let url = root.appendingPathComponent("fixtures/rules/\(relative)")
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let files =
            isDirectory.boolValue
            ? try FileManager.default.contentsOfDirectory(atPath: url.path).sorted().map {
                url.appendingPathComponent($0)
            } : [url]
        return try files.map {
            RuleSource(file: $0.lastPathComponent, text: try String(contentsOf: $0, encoding: .utf8))
        }
    }

    /// A rule set compiled from YAML text named `test.yml`.
    static func rules(_ yaml: String) throws -> RuleSet {
        try RuleSet.compile([RuleSource(file: "test.yml", text: yaml)])
    }

    /// The fixed planning moment of every test: 2025-11-29T10:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_764_410_400)

    static let context = PlanContext(eventID: 42, now: now)
}
