import Foundation
import HooksTestSupport
import Testing

/// The status page in a real browser: `scripts/browser-test.py` drives headless Chromium against
/// the built `artifactory-hooks` and `artifactory-sim` (both beside the test bundle after
/// `swift build --build-tests`), each on an ephemeral loopback port, and saves a screenshot of every
/// page in `.build/screenshots`. Skipped, saying why, only where Chromium is not installed.
@Suite("Status page in headless Chromium", .timeLimit(.minutes(2)))
struct StatusPageBrowserTests {
    /// The package's root folder (this file is `Tests/HooksDaemonTests/…`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Chromium on `$PATH`, as Debian's `chromium` package installs it.
    static let chromium: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"]
            where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }()

    @Test(
        "every page loads clean, charts render, a filter narrows, a retry turns done, forged writes are refused",
        .enabled(
            if: chromium != nil,
            "chromium is not installed (apt-get install chromium): the status page's browser test cannot run"))
    func browser() async throws {
        let bin = DaemonProcess.binary.deletingLastPathComponent().path
        let output = try ChildOutput()
        let process = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                "python3", Self.root.appendingPathComponent("scripts/browser-test.py").path, "--bin", bin, "--out",
                Self.root.appendingPathComponent(".build/screenshots").path,
            ],
            standardOutput: output.writeHandle.fileDescriptor, standardError: output.writeHandle.fileDescriptor,
            directory: Self.root.path)
        output.childStarted()
        // The script bounds itself (100 s) and stops what it started; SIGTERM makes it stop early.
        let ended = try await process.waitForExit(timeout: .seconds(110))
        if ended == nil { process.send(SIGTERM) }
        // Everything it printed: the pipe ends once the script and its children closed it.
        let deadline = ContinuousClock.now + .seconds(10)
        while !output.ended, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(ended == .exit(0), "\(output.text)")
        #expect(output.text.contains(" 0 failed"), "\(output.text)")
    }
}
