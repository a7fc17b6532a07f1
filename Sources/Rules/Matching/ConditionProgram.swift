/// Every rule's `when:` block compiled into one flat program for planning.
///
/// Identical field tests (the same field and a matcher written the same way, in one rule or
/// many) are stored once and evaluated at most once per event through a ``FieldTestMemo``; blocks
/// are nodes in one array, walked by index. The exact-text tests of one field form an
/// ``ExactValueGroup``: one lookup of the event's value answers them all. A block that combines a single condition is replaced
/// by that condition. The answers are exactly those of ``Condition/holds(for:)``.
struct ConditionProgram: Sendable {
    /// One node: a field test, or a combination of the nodes that follow it up to `end`.
    private struct Node: Sendable {
        enum Kind: UInt8, Sendable {
            /// `operand` is the index of a field test.
            case test
            /// Every child holds (children in cheapest-first order).
            case all
            /// At least one child holds.
            case any
            /// The single child does not hold.
            case not
        }

        var kind: Kind
        /// The test's index, for `test`.
        var operand: Int32
        /// The index after this node's last descendant.
        var end: Int32
    }

    private var nodes: [Node] = []
    /// The distinct field tests.
    private(set) var tests: [FieldTest] = []
    /// Each condition's root node, in the order given.
    private var roots: [Int32] = []
    /// The exact-value groups, one per field that exact-text tests read.
    private var groups: [ExactValueGroup] = []
    /// Per test: its group and its text's number in the group, when it is an exact-text test.
    private var exactTests: [(group: Int32, number: Int32)?] = []

    /// Compiles `conditions`; ``holds(_:for:memo:)`` takes their positions in this list.
    init(_ conditions: [Condition]) {
        var testIndex: [FieldTest.Key: Int32] = [:]
        var groupIndex: [EventField: Int32] = [:]
        for condition in conditions {
            roots.append(Int32(nodes.count))
            append(condition, testIndex: &testIndex)
        }
        for test in tests {
            guard case .exact(let text) = test.matcher else {
                exactTests.append(nil)
                continue
            }
            let group: Int32
            if let known = groupIndex[test.field] {
                group = known
            } else {
                group = Int32(groups.count)
                groups.append(ExactValueGroup(field: test.field))
                groupIndex[test.field] = group
            }
            exactTests.append((group, groups[Int(group)].number(of: text)))
        }
    }

    private mutating func append(_ condition: Condition, testIndex: inout [FieldTest.Key: Int32]) {
        switch condition {
        case .field(let field, let matcher, _):
            let test = FieldTest(field: field, matcher: matcher)
            let key = test.key
            let index: Int32
            if let known = testIndex[key] {
                index = known
            } else {
                index = Int32(tests.count)
                tests.append(test)
                testIndex[key] = index
            }
            nodes.append(Node(kind: .test, operand: index, end: Int32(nodes.count + 1)))
        case .all(_, let cheapestFirst):
            appendCombination(.all, cheapestFirst, testIndex: &testIndex)
        case .any(let conditions, _):
            appendCombination(.any, conditions, testIndex: &testIndex)
        case .not(let inner, _):
            let start = nodes.count
            nodes.append(Node(kind: .not, operand: 0, end: 0))
            append(inner, testIndex: &testIndex)
            nodes[start].end = Int32(nodes.count)
        }
    }

    private mutating func appendCombination(
        _ kind: Node.Kind, _ children: [Condition], testIndex: inout [FieldTest.Key: Int32]
    ) {
        // `all` and `any` of one condition hold exactly when that condition does.
        if children.count == 1 {
            append(children[0], testIndex: &testIndex)
            return
        }
        let start = nodes.count
        nodes.append(Node(kind: kind, operand: 0, end: 0))
        for child in children { append(child, testIndex: &testIndex) }
        nodes[start].end = Int32(nodes.count)
    }

    /// A memo for one event's planning.
    func makeMemo() -> FieldTestMemo { FieldTestMemo(testCount: tests.count, groupCount: groups.count) }

    /// Whether the event satisfies condition `position` (its place in the list compiled), using
    /// and filling `memo`, which must have been made for this event.
    func holds(_ position: Int, for event: EventView, memo: inout FieldTestMemo) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            evaluate(Int(roots[position]), nodes, event, &memo)
        }
    }

    private func evaluate(
        _ index: Int, _ nodes: UnsafeBufferPointer<Node>, _ event: EventView, _ memo: inout FieldTestMemo
    ) -> Bool {
        let node = nodes[index]
        switch node.kind {
        case .test:
            let test = Int(node.operand)
            if let answer = memo.answer(test) { return answer }
            let answer = evaluate(test: test, event, &memo)
            memo.remember(test, answer)
            return answer
        case .all:
            var child = index + 1
            while child < Int(node.end) {
                if !evaluate(child, nodes, event, &memo) { return false }
                child = Int(nodes[child].end)
            }
            return true
        case .any:
            var child = index + 1
            while child < Int(node.end) {
                if evaluate(child, nodes, event, &memo) { return true }
                child = Int(nodes[child].end)
            }
            return false
        case .not:
            return !evaluate(index + 1, nodes, event, &memo)
        }
    }

    /// Evaluates test `index` (not yet in the memo), through its exact-value group when it has one.
    private func evaluate(test index: Int, _ event: EventView, _ memo: inout FieldTestMemo) -> Bool {
        guard let exact = exactTests[index] else { return tests[index].holds(for: event) }
        let group = Int(exact.group)
        let answer: ExactValueGroup.Answer
        if let known = memo.groupAnswer(group) {
            answer = known
        } else {
            answer = groups[group].answer(for: event)
            memo.remember(group: group, answer)
        }
        switch answer {
        case .one(let number): return number == exact.number
        case .none: return false
        case .several: return tests[index].holds(for: event)
        }
    }
}
