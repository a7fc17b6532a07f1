import Foundation
import HooksDaemon
import HooksTestSupport
import Testing
import YAMLDiagnostics

@Suite("Config: the status page (ui:)")
struct ConfigUITests {
    static func parse(_ text: String) throws(DiagnosticsError) -> DaemonConfig {
        try ConfigOperationsTests.parse(text)
    }

    @Test("defaults: the page is on and read-only")
    func defaults() throws {
        let config = try Self.parse("")
        #expect(config.ui == DaemonConfig.UI(enabled: true, write: false, token: nil))
    }

    @Test("ui.enabled: false turns it off; write with a token file turns the actions on")
    func values() throws {
        #expect(try Self.parse("ui:\n  enabled: false").ui.enabled == false)
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("token", "s3cret\n")
        let config = try Self.parse("ui:\n  write: true\n  token_file: \(path)")
        #expect(config.ui.write)
        #expect(config.ui.token == "s3cret")
    }

    @Test("write without a token, an unknown key and a bad flag are reported together")
    func mistakes() {
        do {
            _ = try Self.parse("ui:\n  write: true\n  enabld: false\n  enabled: maybe")
            Issue.record("loaded")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.contains("write: true needs token_file") }, "\(lines)")
            #expect(lines.contains { $0.contains("enabld") }, "\(lines)")
            #expect(lines.contains { $0.contains("expected true or false") }, "\(lines)")
        }
    }
}
