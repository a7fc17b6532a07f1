import Foundation
import LoadKit

// Fixed-rate ingest latency: sends pre-signed events at `--rate` per second for `--duration`
// seconds over `--connections` keep-alive connections and prints one line of key=value figures
// (latencies in milliseconds, measured from each request's scheduled send time). `p*` are over
// the 2xx answers; `any_p*` over every answer, so `--endpoint nope` (404, nothing stored) measures
// the HTTP path and this generator alone, as a baseline.
let options = Options()
let events = try SignedEvents(file: options.string("events"))
let load = FixedRateLoad(
    port: options.int("port", 8470), rate: options.double("rate", 2000), duration: options.double("duration", 10),
    connections: options.int("connections", 32))
let endpoint = options.string("endpoint", "main")
let started = Date()
let samples = load.run { events.request($0 + options.int("offset", 0), endpoint: endpoint) }
let elapsed = Date().timeIntervalSince(started)
let ok = samples.filter { (200..<300).contains($0.status) }
let latencies = Percentiles(ok.map { $0.latency * 1000 })
let answered = Percentiles(samples.filter { $0.status > 0 }.map { $0.latency * 1000 })
print(
    String(
        format: "sent=%d ok=%d errors=%d rate=%.0f p50=%.3f p99=%.3f p999=%.3f max=%.3f any_p50=%.3f any_p99=%.3f",
        samples.count, ok.count, samples.count - ok.count, Double(samples.count) / elapsed, latencies.median,
        latencies.at(0.99), latencies.at(0.999), latencies.at(1), answered.median, answered.at(0.99)))
