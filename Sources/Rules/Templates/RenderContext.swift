import ArtifactoryEvents
import Foundation

/// What a template is rendered against: one event (with what planning computes from it once),
/// one rule.
struct RenderContext {
    /// The event being planned, shared by every rule that matches it.
    let planning: PlanningEvent
    let rule: String
    /// The item a `for_each` found, while its child action is rendered (`{{ item.FIELD }}`, and
    /// the default target of item actions); `nil` when planning the event.
    var item: FoundItem? = nil
    /// The named captures of the rule's `matches:` conditions for the event (`{{ match.NAME }}`);
    /// filled only for a rule whose actions name one.
    var captures: [String: String] = [:]

    var event: WebhookEvent { planning.event }
    /// The planning moment: `{{ now }}`, a promotion's `timestamp`.
    var now: Date { planning.now }

    /// The value of `expression` passed through `filters`. An absent or empty value fails as
    /// ``value(of:)`` does unless a `default:` stands in for it; a chain that ends empty fails.
    func value(of expression: Template.Expression, filters: [TemplateFilter]) throws(RulesError) -> String {
        var value: String?
        do {
            value = try self.value(of: expression)
        } catch {
            let defaulted = filters.contains {
                if case .defaultValue = $0 { return true }
                return false
            }
            guard error.code == .missingField, defaulted else { throw error }
            value = nil
        }
        for filter in filters { value = filter.apply(value) }
        guard let value else {
            let chain = ([expression.description] + filters.map(\.description)).joined(separator: " | ")
            throw RulesError(
                .missingField, "\(chain) renders empty for this event; end it with | default: \"VALUE\"", rule: rule)
        }
        return value
    }

    func value(of expression: Template.Expression) throws(RulesError) -> String {
        switch expression {
        case .data(let members):
            // The name is only built for an error: rendering is on the planning hot path.
            guard let value = planning.event.data.member(at: members), value != .null else {
                throw RulesError(.missingField, "\(expression) is missing from the event", rule: rule)
            }
            guard let text = value.scalarText else {
                throw RulesError(.notAValue, "\(expression) is a list or an object, not one value", rule: rule)
            }
            guard !text.isEmpty else {
                throw RulesError(.missingField, "\(expression) is empty in the event", rule: rule)
            }
            return text
        case .eventDomain: return try nonEmpty(planning.event.kind.domain.rawValue, "event.domain")
        case .eventType: return planning.event.kind.eventType
        case .eventSource: return try nonEmpty(planning.event.source, "event.source")
        case .eventOrigin: return try nonEmpty(planning.event.origin, "event.origin (jpd_origin)")
        case .eventID: return planning.eventIDText
        case .ruleName: return rule
        case .now: return planning.nowText
        case .item(let field):
            guard let item else {
                throw RulesError(.missingField, "item.\(field) is only known inside a for_each", rule: rule)
            }
            guard let value = item.value(of: field), !value.isEmpty else {
                throw RulesError(
                    .missingField, "the found item has no \(field) (name it in the query's .include())", rule: rule)
            }
            return value
        case .match(let name):
            guard let value = captures[name] else {
                throw RulesError(
                    .missingField,
                    "match.\(name): no matches: condition of the rule captured (?<\(name)>…) for this event",
                    rule: rule)
            }
            return value
        }
    }

    private func nonEmpty(_ value: String?, _ name: String) throws(RulesError) -> String {
        guard let value, !value.isEmpty else {
            throw RulesError(.missingField, "\(name) is missing from the event", rule: rule)
        }
        return value
    }
}
