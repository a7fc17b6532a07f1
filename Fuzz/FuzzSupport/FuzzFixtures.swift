import ArtifactoryEvents
import Foundation

/// The repository's fixtures, found from this file's place in the checkout (the fuzz targets run
/// from a build of the checkout, never installed).
public enum FuzzFixtures {
    /// `fixtures/` of the checkout.
    public static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures").path
    }()

    /// Every webhook body of `fixtures/events/DOMAIN/*.json`, decoded, in path order.
    public static let events: [WebhookEvent] = {
        let root = URL(fileURLWithPath: directory).appendingPathComponent("events")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            fatalError("no fixture events under \(root.path)")
        }
        let files = walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
            .sorted { $0.path < $1.path }
        let events = files.compactMap { file -> WebhookEvent? in
            guard let body = try? Data(contentsOf: file) else { return nil }
            return try? WebhookEvent(body: Array(body))
        }
        guard !events.isEmpty else { fatalError("no fixture events under \(root.path)") }
        return events
    }()
}
