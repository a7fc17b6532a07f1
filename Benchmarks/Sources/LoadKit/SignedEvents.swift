import Foundation

/// The pre-signed events of `scripts/make-signed-events.py`: one `HEX_SIGNATURE<TAB>BODY` a line.
public struct SignedEvents: Sendable {
    public struct Event: Sendable {
        public var signature: String
        public var body: [UInt8]
    }

    public let events: [Event]

    public init(file: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        events = text.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            return Event(signature: String(line[..<tab]), body: Array(line[line.index(after: tab)...].utf8))
        }
    }

    /// The i-th request of a run against `/webhooks/{endpoint}`.
    public func request(_ index: Int, endpoint: String = "main") -> FixedRateLoad.Request {
        let event = events[index % events.count]
        return FixedRateLoad.Request(
            path: "/webhooks/\(endpoint)",
            headers: ["Content-Type: application/json", "X-JFrog-Event-Auth: \(event.signature)"], body: event.body)
    }
}

/// `--name value` options of a benchmark command line.
public struct Options: Sendable {
    let values: [String: String]

    public init(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        var values: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else { continue }
            values[String(argument.dropFirst(2))] = iterator.next() ?? ""
        }
        self.values = values
    }

    public func string(_ name: String, _ fallback: String? = nil) -> String {
        guard let value = values[name] ?? fallback else {
            FileHandle.standardError.write(Data("missing --\(name)\n".utf8))
            exit(2)
        }
        return value
    }

    public func double(_ name: String, _ fallback: Double) -> Double {
        values[name].flatMap(Double.init) ?? fallback
    }

    public func int(_ name: String, _ fallback: Int) -> Int {
        values[name].flatMap(Int.init) ?? fallback
    }
}
