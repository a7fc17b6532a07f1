import ArgumentParser
import Foundation
import HooksDaemon

/// `artifactory-hooks doctor [--config FILE] [--quick]`: checks the set-up and says what to do
/// about each problem (see ``HooksDaemon/Doctor``).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the config, Artifactory, the token's permissions, the subscriptions, the store and the clock.",
        discussion: """
            Prints one line per check: OK, WARN (works, but needs attention) or FAIL (what is wrong \
            — what to do). Exit status 0 when nothing failed, 1 otherwise. --quick checks only the \
            config, the rules, the store's files and the TLS certificate file, without any network \
            call: the subset for systemd's ExecStartPre=. No token or secret is ever printed.
            """)

    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "FILE"))
    var config: String = DaemonConfig.defaultPath

    @Flag(help: "Only the local checks, no network (for ExecStartPre=).")
    var quick = false

    func run() async throws {
        let passed = await Doctor.run(configPath: config, quick: quick) { check in
            FileHandle.standardOutput.write(Data(check.text.utf8))
        }
        if !passed { throw ExitCode(1) }
    }
}
