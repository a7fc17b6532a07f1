import ArtifactoryEvents
import Foundation
import Testing

@testable import Rules

/// The catalog `rules check` judges by is what the fixture events carry, and docs/rules.md lists
/// it as the catalog has it.
struct EventCatalogTests {
    static let begin = "<!-- event-fields: generated from EventCatalog; EventCatalogTests checks it -->"
    static let end = "<!-- end of event-fields -->"

    /// The table docs/rules.md holds between the markers: per domain, the kinds with the same
    /// `data` members on one row, with the condition keys that read those events.
    static func fieldTable() -> String {
        var lines = [
            "| kinds | `data` members | condition keys besides `origin`, `subscription`, `data.FIELD` |",
            "|---|---|---|",
        ]
        for domain in EventDomain.known {
            var rows: [(types: [String], fields: Set<String>)] = []
            for kind in EventCatalog.kinds(of: domain) {
                let fields = EventCatalog.dataFields(of: kind) ?? []
                if let index = rows.firstIndex(where: { $0.fields == fields }) {
                    rows[index].types.append(kind.eventType)
                } else {
                    rows.append(([kind.eventType], fields))
                }
            }
            let keys = EventField.named.filter { $0.field.domains?.contains(domain) == true }.map { "`\($0.key)`" }
            for row in rows {
                let kinds = row.types.map { "`\(domain.rawValue).\($0)`" }.joined(separator: ", ")
                let fields = row.fields.sorted().map { "`\($0)`" }.joined(separator: ", ")
                lines.append("| \(kinds) | \(fields) | \(keys.isEmpty ? "none" : keys.joined(separator: ", ")) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test("docs/rules.md lists the fields each event carries exactly as the catalog knows them")
    func docsListTheCatalog() throws {
        let docs = try String(contentsOfFile: Fixtures.path("docs/rules.md"), encoding: .utf8)
        let start = try #require(docs.range(of: Self.begin), "docs/rules.md lacks \(Self.begin)")
        let stop = try #require(docs.range(of: Self.end, range: start.upperBound..<docs.endIndex))
        let listed = docs[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = Self.fieldTable()
        #expect(listed == expected, "put this between the markers in docs/rules.md:\n\(expected)")
    }

    @Test(
        "each known kind's fixture event carries exactly the data members the catalog lists",
        arguments: EventDomain.known.flatMap { EventCatalog.kinds(of: $0) })
    func fixturesCarryTheCatalogsFields(_ kind: EventKind) throws {
        let event = try Fixtures.event("\(kind.domain.rawValue)/\(kind.eventType)")
        guard case .object(let members) = event.data else {
            Issue.record("\(kind): data is not an object")
            return
        }
        #expect(Set(members.map(\.key)) == EventCatalog.dataFields(of: kind))
    }
}
