import ArtifactorySimulator
import Foundation
import LoadKit
import Logging
import Synchronization

// End to end against the simulator: starts an ArtifactorySimulator in this process, a release
// daemon (`--daemon`) wired to it with one set_properties rule, and then
//  1. steady load: pre-signed events at `--rate` per second for `--duration` seconds; for each
//     event, the time from the 202 reaching the client to the rule's PUT reaching the simulator;
//  2. action throughput: `--burst` more events as fast as 32 connections send them, and the rate
//     at which the simulator answers their calls (first to last).
// Prints key=value lines (milliseconds, per second).
let options = Options()
let daemonPath = options.string("daemon")
let work = options.string("work")
let events = try SignedEvents(file: options.string("events"))
let rate = options.double("rate", 2000)
let duration = options.double("duration", 10)
let burst = options.int("burst", 5000)
let steadyCount = Int(rate * duration)
let repo = "libs-release-local"

let simulator = ArtifactorySimulator(configuration: .init(tokens: ["bench-token"], repositories: [repo]))
for index in 0..<(steadyCount + burst) {
    let path = "com/acme/payments/payments-core/2.4.\(index)/payments-core-2.4.\(index).jar"
    try simulator.state.addFile(repo: repo, path: path)
}
var logger = Logger(label: "e2e-bench")
logger.logLevel = .warning

/// The event id in a simulator request target (`…;bench.event=17`), percent-encoded or not.
func eventID(in target: String) -> Int64? {
    for marker in ["bench.event=", "bench.event%3D"] {
        if let range = target.range(of: marker) {
            return Int64(target[range.upperBound...].prefix { $0.isNumber })
        }
    }
    return nil
}

/// Runs blocking load off the cooperative pool.
func runLoad(_ load: FixedRateLoad, offset: Int) async -> [FixedRateLoad.Sample] {
    await withCheckedContinuation { continuation in
        Thread {
            continuation.resume(returning: load.run(keepBodies: true) { events.request($0 + offset) })
        }.start()
    }
}

func idOf(_ body: [UInt8]) -> Int64? {
    eventID(in: String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"event_id\":", with: "bench.event="))
}

/// Waits until the simulator has answered a call for each of `ids`, up to `timeout` seconds.
func waitForCalls(_ ids: Set<Int64>, timeout: Double) async throws -> [Int64: RecordedRequest] {
    let deadline = Date().addingTimeInterval(timeout)
    var first: [Int64: RecordedRequest] = [:]
    while true {
        first = [:]
        for request in simulator.state.requests where request.status != nil {
            if let id = eventID(in: request.target), ids.contains(id), first[id] == nil { first[id] = request }
        }
        if first.count == ids.count || Date() > deadline { return first }
        try await Task.sleep(for: .milliseconds(200))
    }
}

try await simulator.withRunning(logger: logger) { baseURL in
    let port = freePort()
    let fileManager = FileManager.default
    try fileManager.createDirectory(atPath: "\(work)/rules", withIntermediateDirectories: true)
    try "bench-secret\n".write(toFile: "\(work)/secret", atomically: true, encoding: .utf8)
    try "bench-token\n".write(toFile: "\(work)/token", atomically: true, encoding: .utf8)
    try """
    rules:
      - name: bench-tag
        on: artifact.deployed
        when: { repo: \(repo) }
        do:
          - set_properties: { qa.status: pending, bench.event: "{{ event.id }}" }
    """.write(toFile: "\(work)/rules/bench.yml", atomically: true, encoding: .utf8)
    try """
    listen: 127.0.0.1:\(port)
    store:
      sqlite: e2e.sqlite
    rules: rules
    artifactory:
      url: \(baseURL.absoluteString)
      token_file: token
    endpoints:
      - name: main
        auth: hmac-sha256
        secret_file: secret
    worker:
      concurrency: \(options.int("concurrency", 8))
    """.write(toFile: "\(work)/e2e.yml", atomically: true, encoding: .utf8)
    let daemon = Process()
    daemon.executableURL = URL(fileURLWithPath: daemonPath)
    daemon.arguments = ["serve", "--config", "\(work)/e2e.yml", "--log-level", "warning"]
    try daemon.run()
    defer {
        daemon.terminate()
        daemon.waitUntilExit()
    }
    guard waitForOK(port: port, path: "/readyz") else { throw CancellationError() }

    // 1. Steady load.
    let steady = await runLoad(FixedRateLoad(port: port, rate: rate, duration: duration, connections: 32), offset: 0)
    var answered: [Int64: Double] = [:]
    for sample in steady where sample.status == 202 {
        if let id = idOf(sample.body) { answered[id] = sample.answeredAt }
    }
    let calls = try await waitForCalls(Set(answered.keys), timeout: 60)
    let delays = Percentiles(
        calls.compactMap { id, request in
            answered[id].map { (request.receivedAt.timeIntervalSince1970 - $0) * 1000 }
        })
    let ingest = Percentiles(steady.filter { $0.status == 202 }.map { $0.latency * 1000 })
    print(
        String(
            format: "e2e_events=%d e2e_called=%d e2e_p50=%.3f e2e_p99=%.3f e2e_ingest_p50=%.3f e2e_ingest_p99=%.3f",
            answered.count, calls.count, delays.median, delays.at(0.99), ingest.median, ingest.at(0.99)))

    // 2. Action throughput: a burst, then how fast its calls are answered.
    simulator.state.clearRequests()
    let flood = await runLoad(
        FixedRateLoad(port: port, rate: 50_000, duration: Double(burst) / 50_000, connections: 32),
        offset: steadyCount)
    let burstIDs = Set(flood.filter { $0.status == 202 }.compactMap { idOf($0.body) })
    let burstCalls = try await waitForCalls(burstIDs, timeout: 120)
    let times = burstCalls.values.map(\.receivedAt.timeIntervalSince1970).sorted()
    let span = (times.last ?? 0) - (times.first ?? 0)
    let ok = burstCalls.values.count { ($0.status ?? 0) / 100 == 2 }
    print(
        String(
            format: "actions_burst=%d actions_called=%d actions_ok=%d actions_seconds=%.2f actions_per_s=%.0f",
            burstIDs.count, burstCalls.count, ok, span, span > 0 ? Double(burstCalls.count - 1) / span : 0))
}
