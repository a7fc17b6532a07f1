/// The answers of a ``ConditionProgram``'s field tests for one event, filled in as planning asks.
///
/// Made afresh for every plan and never stored, so no answer outlives the event it was computed
/// for.
struct FieldTestMemo {
    /// Per test: 0 not yet evaluated, 1 false, 2 true.
    private var answers: [UInt8]
    /// Per exact-value group: `nil` until its field has been looked up.
    private var groupAnswers: [ExactValueGroup.Answer?]

    /// A memo with no answers for a program of `testCount` tests and `groupCount` groups.
    init(testCount: Int, groupCount: Int) {
        answers = [UInt8](repeating: 0, count: testCount)
        groupAnswers = [ExactValueGroup.Answer?](repeating: nil, count: groupCount)
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

    /// The remembered answer of group `index`, or `nil` when it has not been looked up.
    func groupAnswer(_ index: Int) -> ExactValueGroup.Answer? {
        groupAnswers[index]
    }

    /// Remembers the answer of group `index`.
    mutating func remember(group index: Int, _ answer: ExactValueGroup.Answer) {
        groupAnswers[index] = answer
    }
}
