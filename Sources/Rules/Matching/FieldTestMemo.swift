/// The answers of a ``ConditionProgram``'s field tests for one event, filled in as planning asks.
///
/// Made afresh for every plan and never stored, so no answer outlives the event it was computed
/// for.
struct FieldTestMemo {
    /// Per test: 0 not yet evaluated, 1 false, 2 true.
    private var answers: [UInt8]

    /// A memo with no answers for a program of `testCount` tests.
    init(testCount: Int) {
        answers = [UInt8](repeating: 0, count: testCount)
    }

    /// The remembered answer of test `index`, or `nil` when it has not been evaluated.
    func answer(_ index: Int) -> Bool? {
        switch answers[index] {
        case 0: nil
        case 1: false
        default: true
        }
    }

    /// Remembers the answer of test `index`.
    mutating func remember(_ index: Int, _ answer: Bool) {
        answers[index] = answer ? 2 : 1
    }
}
