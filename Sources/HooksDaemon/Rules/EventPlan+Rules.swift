import Foundation
import Rules
public import Storage

extension EventPlan {
    /// The store's form of a rules plan: one job per planned call, its request kept as JSON.
    public init(_ plan: Plan) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.init(
            jobs: plan.actions.map { action in
                // Encoding a struct of strings and an integer cannot fail.
                let request = (try? encoder.encode(action)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                return NewJob(
                    rule: action.rule, actionIndex: action.actionIndex, kind: action.kind.rawValue,
                    subject: action.subject, request: request, effects: Self.expectedEffects(of: action))
            },
            failures: plan.failures.map { failure in
                PlanFailure(
                    rule: failure.rule, actionIndex: failure.actionIndex, kind: failure.kind.rawValue,
                    code: failure.code.rawValue, message: failure.message)
            })
    }

    /// The events Artifactory sends when `action` succeeds, for the loop guard.
    static func expectedEffects(of action: PlannedAction) -> [ExpectedEffect] {
        switch action.kind {
        case .setProperties: [ExpectedEffect(subject: action.subject, kind: "artifact_property.added")]
        case .deleteProperties: [ExpectedEffect(subject: action.subject, kind: "artifact_property.deleted")]
        case .copy: [ExpectedEffect(subject: action.subject, kind: "artifact.copied")]
        case .move: [ExpectedEffect(subject: action.subject, kind: "artifact.moved")]
        case .delete: [ExpectedEffect(subject: action.subject, kind: "artifact.deleted")]
        case .promoteBuild: [ExpectedEffect(subject: action.subject, kind: "build.promoted")]
        }
    }
}
