import FuzzSupport
import Rules

fuzzMain(fuzzRules)

/// A rule file of any text through the checker (`rules check`) and the loader (`RuleSet.compile`,
/// what the daemon loads and reloads), then planned for every fixture event.
///
/// Checked: the loader takes exactly the files the checker finds no error in; a rule file it
/// takes plans every fixture event without trapping, the same way twice, and every planned
/// request stays under its base URL.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let text = fuzzText(data, size) else { return 0 }
    let source = RuleSource(file: "fuzz.yml", text: text)
    let check = RuleCheck.run([source])
    _ = check.summary
    let rules = try? RuleSet.compile([source])
    fuzzCheck(
        (check.errorCount == 0) == (rules != nil),
        "the checker found \(check.errorCount) errors but the loader \(rules == nil ? "refused" : "took") the file")
    if let rules { FuzzPlanning.checkPlans(rules) }
    return 0
}
