import ArtifactoryEvents

/// What a `when:` condition answers for every event of one kind, with the reason in words.
struct ConditionVerdict: Sendable, Equatable {
    enum Answer: Sendable, Equatable {
        /// The condition holds for every event of the kind.
        case always
        /// The condition holds for no event of the kind.
        case never
        /// The answer depends on the event's values.
        case depends
    }

    var answer: Answer
    /// Why the answer is `always` or `never`, about "these events" and naming no kind, so that kinds
    /// with the same reason can be named together; empty for `depends`.
    var reason: String

    init(_ answer: Answer, _ reason: String) {
        self.answer = answer
        self.reason = reason
    }

    static let depends = ConditionVerdict(.depends, "")
}

/// Judges conditions for the events of one kind the catalog knows, answering exactly as
/// ``Condition/holds(for:)`` would for every such event.
///
/// A field the kind never carries is absent from every one of its events, so a test of it has one
/// answer: the matcher's answer for no value (a positive matcher fails, `{not: …}` holds). A
/// named field comes from the typed data of the event's domain (``EventField/domains``); a
/// `data.FIELD` from the members JFrog documents for the kind (``EventCatalog``). Blocks combine
/// these answers; a block whose exact values of one single-valued field (such as `repo`) leave no
/// value, or that holds a test and its opposite, never holds, and an `any:` holding a test and
/// its opposite always holds. Anything else depends on the event.
struct ConditionJudge {
    let kind: EventKind
    private let dataFields: Set<String>

    /// A judge for `kind`; `nil` when the catalog does not know the kind (its events may carry any
    /// field).
    init?(kind: EventKind) {
        guard let fields = EventCatalog.dataFields(of: kind) else { return nil }
        self.kind = kind
        self.dataFields = fields
    }

    /// Whether events of the kind can carry `field`; `false` when none ever does.
    func carries(_ field: EventField) -> Bool {
        if case .data(let members) = field { return dataFields.contains(members[0]) }
        return field.domains?.contains(kind.domain) ?? true
    }

    /// The verdict on `condition`, written at `keyPath` (`when`, `when.any[0]`).
    func verdict(_ condition: Condition, at keyPath: String) -> ConditionVerdict {
        switch condition {
        case .field(let field, let matcher, let path):
            guard !carries(field) else { return .depends }
            if matcher.holds(.none) {
                return ConditionVerdict(
                    .always,
                    "these events carry no \(field), so \(path) (\(matcher.expectation)) holds for all of them")
            }
            return ConditionVerdict(.never, "these events carry no \(field) (\(path))")
        case .all(let conditions, _):
            return verdict(all: conditions, at: keyPath)
        case .any(let blocks, let path):
            let verdicts = blocks.enumerated().map { verdict($1, at: "\(path)[\($0)]") }
            if let always = verdicts.first(where: { $0.answer == .always }) {
                return ConditionVerdict(.always, "\(always.reason), so \(path) holds for all of them")
            }
            if let pair = Self.opposites(blocks.compactMap(Literal.init)) {
                return ConditionVerdict(
                    .always, "\(pair.0) and \(pair.1) are opposites, so \(path) holds for every event")
            }
            if verdicts.allSatisfy({ $0.answer == .never }) {
                return ConditionVerdict(
                    .never, "no block of \(path) can hold: " + verdicts.map(\.reason).joined(separator: "; "))
            }
            return .depends
        case .not(let inner, let path):
            let innerVerdict = verdict(inner, at: path)
            switch innerVerdict.answer {
            case .always:
                return ConditionVerdict(.never, "\(innerVerdict.reason), so not: (\(path)) holds for none of them")
            case .never:
                return ConditionVerdict(.always, "\(innerVerdict.reason), so not: (\(path)) holds for all of them")
            case .depends: return .depends
            }
        }
    }

    private func verdict(all conditions: [Condition], at keyPath: String) -> ConditionVerdict {
        guard !conditions.isEmpty else { return ConditionVerdict(.always, "\(keyPath) is empty") }
        let verdicts = conditions.map { verdict($0, at: keyPath) }
        if let never = verdicts.first(where: { $0.answer == .never }) { return never }
        let literals = conditions.compactMap(Literal.init)
        if let pair = Self.opposites(literals) {
            return ConditionVerdict(.never, "\(pair.0) and \(pair.1) are opposites, so no event satisfies both")
        }
        if let emptied = Self.noValueLeft(conditions, literals) { return ConditionVerdict(.never, emptied) }
        if verdicts.allSatisfy({ $0.answer == .always }) {
            return ConditionVerdict(.always, verdicts.map(\.reason).joined(separator: "; "))
        }
        return .depends
    }

    // MARK: Tests of one field

    /// A condition that is one test of one field: a field test, or `not:` around a block of one.
    private struct Literal {
        var field: EventField
        var matcher: ValueMatcher
        var keyPath: String

        init?(_ condition: Condition) {
            switch condition {
            case .field(let field, let matcher, let keyPath):
                (self.field, self.matcher, self.keyPath) = (field, matcher, keyPath)
            case .all(let conditions, _):
                guard conditions.count == 1, let only = Literal(conditions[0]) else { return nil }
                self = only
            case .not(let inner, let keyPath):
                // `not: {F: M}` holds exactly when `F: {not: M}` does.
                guard let negated = Literal(inner) else { return nil }
                (field, matcher, self.keyPath) = (negated.field, ValueMatcher.not(negated.matcher), keyPath)
            case .any(let blocks, _):
                guard blocks.count == 1, let only = Literal(blocks[0]) else { return nil }
                self = only
            }
        }
    }

    /// Two tests of one field whose answers are always opposite (`M` and `{not: M}`).
    private static func opposites(_ literals: [Literal]) -> (String, String)? {
        for (index, first) in literals.enumerated() {
            for second in literals[(index + 1)...] where first.field == second.field {
                let (one, other) = (first.matcher.identity, second.matcher.identity)
                if one == .not(other) || other == .not(one) { return (first.keyPath, second.keyPath) }
            }
        }
        return nil
    }

    /// Fields with at most one value in an event: every named field but `property_values`.
    private static func isSingleValued(_ field: EventField) -> Bool {
        switch field {
        case .propertyValues, .data: false
        default: true
        }
    }

    /// Why no value of some single-valued field satisfies every condition of a block: the exact
    /// values the conditions require have none in common, or none of them passes the block's other
    /// tests of that field; `nil` when some value may.
    private static func noValueLeft(_ conditions: [Condition], _ literals: [Literal]) -> String? {
        var fields: [EventField] = []
        for condition in conditions {
            for field in condition.requiredFields where isSingleValued(field) && !fields.contains(field) {
                fields.append(field)
            }
        }
        for field in fields {
            var candidates: [String]?
            var sources: [String] = []
            for condition in conditions {
                guard let values = condition.requiredValues(of: field) else { continue }
                candidates = candidates.map { $0.filter { values.containsSameBytes($0) } } ?? values
                sources.append(condition.keyPath)
            }
            guard var candidates else { continue }
            for literal in literals where literal.field == field {
                candidates = candidates.filter { literal.matcher.holds(.one($0)) }
                if !sources.contains(literal.keyPath) { sources.append(literal.keyPath) }
            }
            if candidates.isEmpty {
                return "no \(field) satisfies " + sources.joined(separator: " and ") + " together"
            }
        }
        return nil
    }
}

extension Condition {
    /// Where the condition was written (empty for a block, which takes its parent's place).
    var keyPath: String {
        switch self {
        case .field(_, _, let keyPath), .any(_, let keyPath), .not(_, let keyPath): keyPath
        case .all: ""
        }
    }

    /// The fields the condition requires to hold one of a few exact values.
    fileprivate var requiredFields: [EventField] {
        switch self {
        case .field(let field, let matcher, _): matcher.exactTexts == nil ? [] : [field]
        case .all(let conditions, _): conditions.flatMap(\.requiredFields)
        case .any(let blocks, _): blocks.first?.requiredFields ?? []
        case .not: []
        }
    }

    /// The exact values `field` must have for the condition to hold; `nil` when other values may.
    fileprivate func requiredValues(of field: EventField) -> [String]? {
        switch self {
        case .field(let tested, let matcher, _):
            return tested == field ? matcher.exactTexts : nil
        case .all(let conditions, _):
            var values: [String]?
            for condition in conditions {
                guard let required = condition.requiredValues(of: field) else { continue }
                values = values.map { $0.filter { required.containsSameBytes($0) } } ?? required
            }
            return values
        case .any(let blocks, _):
            var values: [String] = []
            for block in blocks {
                guard let required = block.requiredValues(of: field) else { return nil }
                values += required
            }
            return values
        case .not:
            return nil
        }
    }
}

extension ValueMatcher {
    /// The texts an exact matcher or a list of exact matchers accepts; `nil` for any other.
    fileprivate var exactTexts: [String]? {
        switch self {
        case .exact(let text): return [text]
        case .anyOf(let matchers):
            var texts: [String] = []
            for matcher in matchers {
                guard case .exact(let text) = matcher else { return nil }
                texts.append(text)
            }
            return texts
        default: return nil
        }
    }
}

extension [String] {
    /// Whether a text with the same bytes as `text` is here (as ``ValueMatcher/exact(_:)`` compares).
    fileprivate func containsSameBytes(_ text: String) -> Bool {
        contains { ValueMatcher.sameBytes($0, text) }
    }
}
