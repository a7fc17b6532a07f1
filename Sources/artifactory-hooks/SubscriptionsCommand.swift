import ArgumentParser
import ArtifactoryEvents
import HooksDaemon
import Logging

/// `artifactory-hooks subscriptions …`: keep Artifactory's webhook subscriptions (the Event API on
/// the platform URL) as the config's `subscriptions:` section describes them.
struct SubscriptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscriptions",
        abstract: "Compare or register the webhook subscriptions the config describes.",
        discussion: """
            Both commands need an admin (or Manage Webhooks) token in the config's artifactory: \
            section. A subscription's secret is its endpoint's current secret; it is sent to \
            Artifactory and never printed.
            """,
        subcommands: [Plan.self, Apply.self, Test.self]
    )

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what apply would create, update or delete.",
            discussion: """
                Exit status: 0 when Artifactory holds every subscription as configured, 2 when \
                something would change (a drift check for CI), 1 on an error.
                """)

        @OptionGroup var options: ConfigOptions

        @Flag(help: "Also plan deleting subscriptions with the key prefix that the config lacks.")
        var prune = false

        func run() async throws {
            let config = try loadSubscriptions(options, prune: prune)
            let plan: SubscriptionPlan
            do {
                plan = try await SubscriptionSync.plan(config: config, prune: prune)
            } catch {
                printError("subscriptions plan: \(error)")
                throw ExitCode(1)
            }
            print(plan.text, terminator: "")
            if plan.hasChanges { throw ExitCode(2) }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update the configured subscriptions; --prune deletes stale ones.",
            discussion: """
                Idempotent: a subscription Artifactory already holds as configured is left alone. \
                Artifactory does not give secrets back, so after rotating an endpoint's secret run \
                apply --all, which sends every subscription again.
                """)

        @OptionGroup var options: ConfigOptions

        @Flag(help: "Delete subscriptions whose key starts with subscriptions.key_prefix and that the config lacks.")
        var prune = false

        @Flag(help: "Update every configured subscription, unchanged ones too (sends the current secrets).")
        var all = false

        func run() async throws {
            let config = try loadSubscriptions(options, prune: prune)
            let result: (text: String, failed: Bool)
            do {
                result = try await SubscriptionSync.apply(config: config, prune: prune, all: all)
            } catch {
                printError("subscriptions apply: \(error)")
                throw ExitCode(1)
            }
            print(result.text, terminator: "")
            if result.failed { throw ExitCode(1) }
        }
    }
}

extension SubscriptionsCommand {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask Artifactory to send its test event for a subscription and check that it arrived.",
            discussion: """
                Sends the subscription as apply would (Test Webhook Subscription), with a header \
                carrying a random test id, and waits for the daemon (running with this config's \
                store) to receive the test event: it is checked with the endpoint's secrets and noted, \
                never stored as an event. Prints Artifactory's answer and whether the event arrived \
                and verified; exit 0 only when both are true, 1 otherwise.
                """)

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The subscription's key, as the config writes it.")
        var key: String

        @Option(help: "How long to wait for the test event, in seconds.")
        var wait: Int = 15

        func run() async throws {
            let config = try loadSubscriptions(options, prune: false)
            guard config.subscriptions.webhooks.contains(where: { $0.key == key }) else {
                printError("subscriptions test: the config has no subscription \"\(ControlEscaping.escaped(key))\"")
                throw ExitCode(1)
            }
            let logger = Logger(label: "artifactory-hooks.subscriptions")
            let report: SubscriptionTestRun?
            do {
                report = try await withExistingStore(config.store, logger: logger) { store in
                    try await SubscriptionTestRun.run(
                        config: config, key: key, store: store, wait: .seconds(max(1, wait)))
                }
            } catch {
                printError("subscriptions test: \(error)")
                throw ExitCode(1)
            }
            guard let report else {
                printError("subscriptions test: the config has no subscription \"\(ControlEscaping.escaped(key))\"")
                throw ExitCode(1)
            }
            print(report.text)
            if !report.passed { throw ExitCode(1) }
        }
    }
}

/// The config with every credential read (the token and the endpoints' secrets are needed), or
/// exit 1 when it has no `artifactory:` or no subscription, or `--prune` without a key prefix.
private func loadSubscriptions(_ options: ConfigOptions, prune: Bool) throws -> DaemonConfig {
    let config = try options.load(for: .daemon)
    guard config.artifactory != nil else {
        printError("subscriptions need the config's artifactory: section (its URL and an admin token)")
        throw ExitCode(1)
    }
    if prune, config.subscriptions.keyPrefix == nil {
        printError("--prune needs subscriptions.key_prefix: only subscriptions with that prefix are ever deleted")
        throw ExitCode(1)
    }
    return config
}
