/// The named groups `(?<NAME>…)` of a rule's `matches:` conditions, which its templates render as
/// `{{ match.NAME }}`.
///
/// Captures are taken after the rule has matched, and only for a rule whose actions name one, so
/// planning the rules that use none costs nothing more. A capture comes from a test that held for
/// the event: a `matches:` under `not:` never gives one, and one in an `any:` block only when that
/// block holds. When several tests capture the same name, the first in the order written wins; of
/// a field with several values, the first value that matches.
extension Condition {
    /// Adds the captures of the event's matching `matches:` tests to `captured` (names already
    /// there are kept).
    func captures(for event: EventView, into captured: inout [String: String]) {
        switch self {
        case .field(let field, let matcher, _):
            guard matcher.capturesAnything else { return }
            matcher.captures(field.values(in: event), into: &captured)
        case .all(let conditions, _):
            for condition in conditions { condition.captures(for: event, into: &captured) }
        case .any(let conditions, _):
            for condition in conditions where condition.holds(for: event) {
                condition.captures(for: event, into: &captured)
            }
        case .not: break
        }
    }

    /// The capture names the condition defines, for `rules check`.
    var captureNames: CaptureNames {
        switch self {
        case .field(_, let matcher, _): return matcher.captureNames
        case .all(let conditions, _):
            return conditions.map(\.captureNames).reduce(CaptureNames()) { $0.both($1) }
        case .any(let conditions, _):
            return conditions.map(\.captureNames).reduce(CaptureNames?.none) { $0?.either($1) ?? $1 } ?? CaptureNames()
        case .not(let inner, _):
            let names = inner.captureNames
            return CaptureNames(excluded: names.possible.union(names.excluded))
        }
    }
}

/// Which `{{ match.NAME }}` a rule's `when:` can give.
struct CaptureNames: Sendable, Hashable {
    /// Captured for some events the rule takes.
    var possible: Set<String> = []
    /// Captured for every event the rule takes (each `any:` block defines it).
    var definite: Set<String> = []
    /// Defined only under `not:`, where a pattern never matched when the rule takes an event.
    var excluded: Set<String> = []

    /// The names of two conditions that must both hold.
    func both(_ other: CaptureNames) -> CaptureNames {
        CaptureNames(
            possible: possible.union(other.possible), definite: definite.union(other.definite),
            excluded: excluded.union(other.excluded))
    }

    /// The names of two conditions of which one holds.
    func either(_ other: CaptureNames) -> CaptureNames {
        CaptureNames(
            possible: possible.union(other.possible), definite: definite.intersection(other.definite),
            excluded: excluded.union(other.excluded))
    }
}

extension ValueMatcher {
    /// Whether a test with this matcher can capture a name.
    var capturesAnything: Bool {
        switch self {
        case .regex(let regex): !regex.captureNames.isEmpty
        case .anyOf(let matchers): matchers.contains(where: \.capturesAnything)
        default: false
        }
    }

    /// Adds the captures of the first element (of a list) that holds, from the first value it
    /// matches.
    func captures(_ values: FieldValues, into captured: inout [String: String]) {
        switch self {
        case .regex(let regex):
            let list: [String]
            switch values {
            case .none: list = []
            case .one(let value): list = [value]
            case .many(let many): list = many
            }
            for value in list {
                guard let found = regex.captures(in: value) else { continue }
                captured.merge(found) { kept, _ in kept }
                return
            }
        case .anyOf(let matchers):
            guard let first = matchers.first(where: { $0.holds(values) }) else { return }
            first.captures(values, into: &captured)
        default: return
        }
    }

    var captureNames: CaptureNames {
        switch self {
        case .regex(let regex):
            let names = Set(regex.captureNames)
            return CaptureNames(possible: names, definite: names)
        case .anyOf(let matchers):
            return matchers.map(\.captureNames).reduce(CaptureNames?.none) { $0?.either($1) ?? $1 } ?? CaptureNames()
        case .not(let inner):
            let names = inner.captureNames
            return CaptureNames(excluded: names.possible.union(names.excluded))
        default: return CaptureNames()
        }
    }
}
