import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing

@Suite("Rules: require: guards")
struct GuardTests {
    static let rules = """
        rules:
          - name: qa-unless-locked
            on: artifact.deployed
            do:
              - set_properties: { qa.status: pending }
                require:
                  item.properties.locked: { not: "true" }
                  item.size: { max: 2000000 }
              - delete_properties: [ tmp ]
          - name: on-release
            on: build.promoted
            require: { build.status: [released, "GA*"] }
            do:
              - set_properties: { released: "{{ data.build_number }}" }
                repo: libs-release-local
                path: "notes/{{ data.build_name }}.txt"
        """

    @Test("a guarded action carries its guard with the item resolved; an unguarded one carries none")
    func itemGuard() throws {
        let plan = try Fixtures.rules(Self.rules).plan(
            try Fixtures.event("artifact/deployed"), context: Fixtures.context)
        #expect(plan.actions.count == 2)
        let requirement = try #require(plan.actions[0].requirement)
        #expect(
            requirement.item?.text == "libs-release-local/com/acme/payments/payments-core/2.4.1/payments-core-2.4.1.jar"
        )
        #expect(requirement.build == nil)
        #expect(requirement.needsProperties && requirement.needsItemInfo && !requirement.needsBuildInfo)
        #expect(plan.actions[1].requirement == nil)

        // It holds for an unlocked small item, not for a locked one, nor for a missing one's size.
        #expect(requirement.failure(given: GuardFacts(exists: true, size: 10, properties: ["locked": ["no"]])) == nil)
        #expect(
            requirement.failure(given: GuardFacts(exists: true, size: 10, properties: ["locked": ["x", "true"]]))
                == #"item.properties.locked is ["x", "true"]; wanted {not: "true"}"#)
        #expect(
            requirement.failure(given: GuardFacts(exists: false))
                == "item.size has no value; wanted {max: 2000000}")
    }

    @Test("a rule's guard reads the event's build run; the status is tested like when:")
    func buildGuard() throws {
        let plan = try Fixtures.rules(Self.rules).plan(try Fixtures.event("build/promoted"), context: Fixtures.context)
        let requirement = try #require(plan.actions.first?.requirement)
        #expect(requirement.build?.name.text == "payments-service")
        #expect(requirement.build?.number.text == "1024")
        #expect(requirement.item == nil)
        #expect(requirement.failure(given: GuardFacts(buildStatus: "released")) == nil)
        #expect(requirement.failure(given: GuardFacts(buildStatus: "GA-2")) == nil)
        #expect(
            requirement.failure(given: GuardFacts(buildStatus: "staged"))
                == #"build.status is "staged"; wanted ["released", "GA*"]"#)
        #expect(requirement.failure(given: GuardFacts()) == #"build.status has no value; wanted ["released", "GA*"]"#)
    }

    @Test("the guard is stored with the request and read back the same; rows without one still decode")
    func storedJSON() throws {
        for name in ["artifact/deployed", "build/promoted"] {
            let plan = try Fixtures.rules(Self.rules).plan(try Fixtures.event(name), context: Fixtures.context)
            for action in plan.actions {
                let decoded = try PlannedAction(storedJSON: action.storedJSON)
                #expect(decoded.requirement == action.requirement)
                #expect(decoded.requirement?.description == action.requirement?.description)
                #expect(decoded.storedJSON == action.storedJSON)
            }
        }
        let old = try PlannedAction(
            storedJSON:
                #"{"action_index":0,"kind":"delete","method":"DELETE","path":"libs/a.jar","rule":"r","subject":"artifact:libs/a.jar"}"#
        )
        #expect(old.requirement == nil)
        #expect(throws: StoredJSONError.self) {
            try PlannedAction(
                storedJSON:
                    #"{"action_index":0,"kind":"delete","method":"DELETE","path":"libs/a.jar","require":"{\"when\":{\"field\":\"item.colour\",\"test\":\"x\"}}","rule":"r","subject":"artifact:libs/a.jar"}"#
            )
        }
    }

    @Test("rules test shows each action's guard")
    func report() throws {
        let ruleSet = try Fixtures.rules(Self.rules)
        let event = try Fixtures.event("artifact/deployed")
        let text = PlanReport(
            event: event, plan: ruleSet.plan(event, context: Fixtures.context),
            explanations: ruleSet.explain(event, context: Fixtures.context), explain: false,
            baseURL: "https://a.example/artifactory"
        ).text
        #expect(
            text.contains(
                #"only if, just before the call: require {item.properties.locked: {not: "true"}, item.size: {max: 2000000}}"#
            ), "\(text)")
    }

    @Test("on a for_each, item.* tests guard each child with its found item, build.status the expansion")
    func forEach() throws {
        let rules = """
            rules:
              - name: release-artifacts
                on: build.promoted
                require: { build.status: released }
                do:
                  - for_each: build_artifacts
                    set_properties: { release.version: "{{ data.build_number }}" }
                    require: { item.properties.locked: { not: "true" } }
            """
        let plan = try Fixtures.rules(rules).plan(try Fixtures.event("build/promoted"), context: Fixtures.context)
        let expansion = try #require(plan.actions.first)
        #expect(expansion.requirement?.build?.name.text == "payments-service")
        #expect(expansion.requirement?.needsProperties == false)
        // Stored and read back, the children's guard survives and resolves to each found item.
        let stored = try PlannedAction(storedJSON: expansion.storedJSON)
        #expect(stored.requirement == expansion.requirement)
        let planner = try #require(ChildPlanner(stored))
        let item = FoundItem(repo: "libs-release-local", folder: "pay/42", name: "a.jar")
        let child = try #require(try planner.children(for: item).first?.action)
        #expect(child.requirement?.item?.text == "libs-release-local/pay/42/a.jar")
        #expect(child.requirement?.build == nil)
        #expect(
            child.requirement?.failure(given: GuardFacts(properties: ["locked": ["true"]]))
                == #"item.properties.locked is "true"; wanted {not: "true"}"#)
    }
}
