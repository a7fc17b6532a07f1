import Foundation
import FuzzSupport

@testable import Rules

fuzzMain(fuzzTemplate)

/// `Template` parsing (every `{{ … }}` of a rule file) and rendering over any text, against every
/// fixture event.
///
/// Checked: a template's parts print back to a text that parses to the same parts; rendering
/// (plain, escaped as AQL does, and all but `item.FIELD` as fan-out does) never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let text = fuzzText(data, size) else { return 0 }
    for literalClosingBraces in [false, true] {
        guard let template = try? Template(text, literalClosingBraces: literalClosingBraces) else { continue }
        let printed = Template(parts: template.parts).source
        let again = try? Template(printed, literalClosingBraces: literalClosingBraces)
        fuzzCheck(again?.parts == template.parts, "the parts of \(text) print as \(printed), which parses otherwise")
        for event in FuzzFixtures.events {
            let planning = PlanningEvent(event: event, eventID: 1, now: FuzzPlanning.context.now)
            let context = RenderContext(planning: planning, rule: "fuzz")
            _ = try? template.render(context)
            _ = try? template.render(context, escaping: { $0 })
            _ = try? template.renderingAllButItem(context)
        }
    }
    return 0
}
