import Foundation
import HooksDaemon
import HooksTestSupport
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(CNIOLinux)
// Clang attributes `struct stat`'s members to NIO's C shim, which also includes <sys/stat.h>;
// with MemberImportVisibility they need that module imported too.
import CNIOLinux
#endif

@Suite("Log formats")
struct LogFormatTests {
    struct SomeError: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    /// An error whose text is one plain word, written the same by every text handler.
    struct PlainError: Error, CustomStringConvertible {
        var description: String { "ENOSPC" }
    }

    @Test(
        "journal lines carry the syslog priority and no timestamp",
        arguments: [
            (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ])
    func journalPriority(level: Logger.Level, priority: Int) {
        let lines = LogLines()
        var logger = Logger(label: "artifactory-hooks") { label in
            JournalLogHandler(label: label, level: .trace, output: lines.output)
        }
        logger.logLevel = .trace
        logger.log(level: level, "Rules loaded", metadata: ["rules.count": "4"])
        #expect(lines.all == ["<\(priority)>Rules loaded rules.count=4"])
    }

    @Test("journal metadata is sorted, quoted when needed, and one event stays one line")
    func journalMetadata() {
        let lines = LogLines()
        var logger = Logger(label: "artifactory-hooks") { label in JournalLogHandler(label: label, output: lines.output)
        }
        logger[metadataKey: "component"] = "event store"
        logger.error(
            "Rule problem\nsecond line",
            metadata: [
                "rules.diagnostic": "a.yml:2:1: error: \"x\"\nmore", "empty": "", "list": ["a", "b"],
                "http.address": "127.0.0.1:8470",
            ])
        #expect(
            lines.all == [
                #"<3>Rule problem\nsecond line component="event store" empty="" http.address=127.0.0.1:8470 list="[\"a\", \"b\"]" rules.diagnostic="a.yml:2:1: error: \"x\"\nmore""#
            ])
    }

    @Test("control characters a sender chose are escaped in the journal and text formats")
    func controlCharacters() {
        let kind = "artifact.deployed\u{1B}[2J\u{7}\u{85}\u{2028}x\\y\tz"
        let escaped = #"artifact.deployed\u{1B}[2J\u{7}\u{85}\u{2028}x\\y"# + "\tz"
        let journal = LogLines()
        let journalLogger = Logger(label: "artifactory-hooks") { label in
            JournalLogHandler(label: label, output: journal.output)
        }
        journalLogger.warning("Stored \u{1B}[31mred", metadata: ["event.kind": .string(kind)])
        #expect(journal.all == [#"<4>Stored \u{1B}[31mred event.kind=""# + escaped + "\""])

        let collected = Collected()
        let textLogger = Logger(label: "artifactory-hooks") { label in
            TextLogHandler(
                wrapping: StreamLogHandler(label: label, stream: collected, metadataProvider: nil), level: .info,
                metadataProvider: nil)
        }
        textLogger.warning("Stored \u{1B}[31mred", metadata: ["event.kind": .string(kind), "list": [.string("\u{0}")]])
        let line = collected.untimed.joined()
        #expect(line.contains(#"Stored \u{1B}[31mred"#), "\(line)")
        // Quoted: the value holds a tab.
        #expect(line.contains("event.kind=\"" + escaped + "\""), "\(line)")
        // A list is written as Swift prints it (`["\0"]`), then escaped and quoted.
        #expect(line.contains(#"list="[\"\\0\"]""#), "\(line)")
        let controls = line.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0x7F }
        #expect(controls.isEmpty, "\(line)")
        #expect(line.filter { $0 == "\n" }.count == 1)
    }

    @Test("text values with a space, a = or a quote are quoted, so a sender's value cannot forge fields")
    func textQuoting() {
        let collected = Collected()
        let logger = Logger(label: "artifactory-hooks") { label in
            TextLogHandler(
                wrapping: StreamLogHandler(label: label, stream: collected, metadataProvider: nil), level: .info,
                metadataProvider: nil)
        }
        logger.info(
            "Stored",
            metadata: [
                "event.type": "deployed event.id=999999 endpoint=tokened", "event.id": "7", "endpoint": "main",
                "quote": #"say "hi"\"#, "empty": "",
            ])
        var failed = LogEvent(
            level: .error, message: "Failed", metadata: nil, source: "HooksDaemon", file: #fileID,
            function: #function, line: #line)
        failed.error = SomeError()
        logger.handler.log(event: failed)

        let lines = collected.untimed
        #expect(lines.count == 2)
        #expect(
            lines.first?.contains(
                #" empty="" endpoint=main event.id=7 event.type="deployed event.id=999999 endpoint=tokened" quote="say \"hi\"\\" "#
            ) == true, "\(lines)")
        let fields = Self.fields(lines.first ?? "")
        #expect(fields.filter { $0.key == "event.id" }.map(\.value) == ["7"])
        #expect(fields.filter { $0.key == "endpoint" }.map(\.value) == ["main"])
        #expect(lines.last?.contains(#"error.message="disk full" error.type="#) == true, "\(lines)")
    }

    /// The `key=value` pairs of a line as a reader splitting on spaces outside quotes sees them.
    static func fields(_ line: String) -> [(key: String, value: String)] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\", quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == " ", !quoted {
                tokens.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        tokens.append(current)
        return tokens.compactMap { token in
            guard let equals = token.firstIndex(of: "=") else { return nil }
            return (String(token[..<equals]), String(token[token.index(after: equals)...]))
        }
    }

    /// Collects what a `StreamLogHandler` writes.
    final class Collected: TextOutputStream, @unchecked Sendable {
        let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        /// The lines without their leading timestamp.
        var untimed: [String] { lines.withLock { $0 }.map { String($0.drop { $0 != " " }) } }
    }

    @Test("text lines are the stream handler's own, metadata set on the logger included")
    func textLines() {
        let (plain, wrapped) = (Collected(), Collected())
        let provider = Logger.MetadataProvider { ["task": "ingest", "endpoint": "from-provider"] }
        var reference = Logger(label: "artifactory-hooks") { label in
            var handler = StreamLogHandler(label: label, stream: plain, metadataProvider: provider)
            handler.logLevel = .debug
            return handler
        }
        var text = Logger(label: "artifactory-hooks") { label in
            TextLogHandler(
                wrapping: StreamLogHandler(label: label, stream: wrapped, metadataProvider: nil), level: .debug,
                metadataProvider: provider)
        }
        reference[metadataKey: "hb.request.id"] = "17"
        text[metadataKey: "hb.request.id"] = "17"
        reference[metadataKey: "endpoint"] = "main"
        text[metadataKey: "endpoint"] = "main"
        for logger in [reference, text] {
            logger.warning("Refused", metadata: ["error.code": "unauthorized", "task": "line"])
            logger.info("Plain")
            logger.trace("not written")
            var failed = LogEvent(
                level: .error, message: "Failed", metadata: nil, source: "HooksDaemon", file: #fileID,
                function: #function, line: #line)
            failed.error = PlainError()
            logger.handler.log(event: failed)
        }
        #expect(plain.untimed.count == 3)
        #expect(wrapped.untimed == plain.untimed)
        #expect(text.logLevel == .debug)
        #expect(text[metadataKey: "endpoint"] == "main")
    }

    @Test("json lines are one object each with time, level, label, message, metadata, source")
    func json() throws {
        let lines = LogLines()
        let handler = JSONLogHandler(
            label: "artifactory-hooks", level: .debug, output: lines.output,
            clock: { Date(timeIntervalSince1970: 1_795_435_200.5) })
        var logger = Logger(label: "artifactory-hooks") { _ in handler }
        logger.logLevel = .debug
        logger[metadataKey: "endpoint"] = "main"
        var event = LogEvent(
            level: .warning, message: "Could not \"close\"\n",
            metadata: ["nested": ["a": ["1", "2"]], "control": "\u{1}"], source: "HooksDaemon", file: #fileID,
            function: #function, line: #line)
        event.error = SomeError()
        logger.handler.log(event: event)
        logger.trace("not written")
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(!line.contains("\n"))
        #expect(
            line
                == #"{"time":"2026-11-23T12:00:00.500Z","level":"warning","label":"artifactory-hooks","message":"Could not \"close\"\n","metadata":{"control":"\u0001","endpoint":"main","error":"disk full","nested":{"a":["1","2"]}},"source":"HooksDaemon"}"#
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "Could not \"close\"\n")
    }

    @Test("journal is chosen only when standard error is the stream JOURNAL_STREAM names")
    func automatic() {
        #expect(LogFormat.automatic(environment: [:]) == .text)
        #expect(LogFormat.automatic(environment: ["JOURNAL_STREAM": "garbage"]) == .text)
        #expect(LogFormat.automatic(environment: ["JOURNAL_STREAM": "1:1"]) == .text)
        var status = stat()
        fstat(2, &status)
        #expect(LogFormat.automatic(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]) == .journal)
    }

    @Test(
        "the daemon started with JOURNAL_STREAM writes <N>-prefixed lines without timestamps", .timeLimit(.minutes(1)))
    func daemonUnderJournal() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let process = try DaemonProcess(["serve", "--config", daemon.configPath], journalStream: true)
        _ = try await process.waitUntilListening()
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
        let lines = process.printed.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("<6>Listening for webhooks ") })
        #expect(lines.contains { $0.hasPrefix("<4>Endpoint accepts unsigned deliveries (auth: none) endpoint=open") })
        #expect(lines.allSatisfy { $0.range(of: #"^<[2-7]>\S"#, options: .regularExpression) != nil }, "\(lines)")
        #expect(!process.printed.contains(TestDaemon.secret))
    }

    @Test("--log-format json makes the daemon write JSON lines; an unknown format is refused", .timeLimit(.minutes(1)))
    func daemonJSON() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let process = try DaemonProcess(["serve", "--config", daemon.configPath, "--log-format", "json"])
        _ = try await process.waitUntilListening()
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
        for line in process.printed.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["time"] is String, "\(line)")
        }
        #expect(process.printed.contains(#""message":"Listening for webhooks""#))

        let wrong = try DaemonProcess(["serve", "--config", daemon.configPath, "--log-format", "xml"])
        #expect(try await wrong.waitForExit() == 64)
        #expect(wrong.printed.contains("--log-format xml: expected one of text, json, journal"))
    }
}
