import ArtifactoryEvents
import Foundation
import FuzzSupport
import Rules

fuzzMain(fuzzAQL)

/// An answer of `POST api/search/aql` as fan-out reads it (the worker's `ExpansionRunner`): the
/// body parsed, each member of `results` read as a `FoundItem`, and the children of every
/// expansion that Fuzz/fixtures/fan-out.yml plans for the fixture events planned for each item.
///
/// Checked: a child planned for any item stays under its base URL (a hostile `repo`, `path` or
/// `name` in the answer cannot make a request leave its repository).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAQL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let results = (try? JSONParser.parse(fuzzBytes(data, size)))?["results"]?.arrayValue else { return 0 }
    let items = results.compactMap(FoundItem.init(aqlResult:))
    for item in items {
        for field in FoundItem.fields { _ = item.value(of: field) }
        for planner in FanOutPlanners.all {
            guard let children = try? planner.children(for: item) else { continue }
            for child in children { fuzzCheckStaysUnderBase(child.action.request) }
        }
    }
    return 0
}

/// The child planners of every expansion the fan-out rules plan for the fixture events, as the
/// worker makes them from the stored job.
private enum FanOutPlanners {
    static let all: [ChildPlanner] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/fan-out.yml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { fatalError("cannot read \(file.path)") }
        let rules: RuleSet
        do {
            rules = try RuleSet.compile([RuleSource(file: file.path, text: text)])
        } catch {
            fatalError("\(file.path): \(error)")
        }
        let planners = FuzzFixtures.events.flatMap { event in
            rules.plan(event, context: FuzzPlanning.context).actions.compactMap { action in
                (try? PlannedAction(storedJSON: action.storedJSON)).flatMap(ChildPlanner.init)
            }
        }
        guard !planners.isEmpty else { fatalError("\(file.path) plans no expansion for the fixture events") }
        return planners
    }()
}
