import ArtifactoryEvents
import Foundation
import Rules

// Plans one artifact.deployed event against rule sets of 10, 100 and 1,000 rules and prints the
// median time per plan. The rule mix is what a large installation looks like: most rules are
// about other event kinds or other repositories, a few match.

/// One rule of the generated mix; `index` spreads rules over kinds, repositories and condition forms.
func rule(_ index: Int) -> String {
    let repo = "team\(index % 97)-release-local"
    switch index % 10 {
    case 0, 1, 2, 3:
        // Literal repository: indexed by repository, so only the event's repository is looked at.
        return """
              - name: tag-\(index)
                on: artifact.deployed
                when: { repo: \(repo), path: "com/acme/**/*.jar", size: { min: 1 } }
                do:
                  - set_properties: { qa.status: pending, qa.rule: "{{ rule.name }}", qa.event: "{{ event.id }}" }
                  - copy: { to: "libs-qa-local/{{ data.path }}" }

            """
    case 4, 5:
        // Repository glob over the whole domain: every artifact event meets it.
        return """
              - name: glob-\(index)
                on: artifact.*
                when: { repo: "team\(index % 97)-*-local", path: "**/*-SNAPSHOT/**" }
                do:
                  - delete_properties: [qa.status]

            """
    case 6:
        return """
              - name: docker-\(index)
                on: docker.pushed
                when: { repo: docker-\(index % 13), tag: { matches: '^[0-9]+\\.[0-9]+\\.[0-9]+$' } }
                do:
                  - copy: { to: "docker-prod-local/{{ data.image_name }}/{{ data.tag }}" }
                    path: "{{ data.image_name }}/{{ data.tag }}"

            """
    case 7:
        return """
              - name: build-\(index)
                on: build.uploaded
                when: { build_name: "service-\(index % 50)-*" }
                do:
                  - promote_build: { status: staged, target_repo: libs-release-local, copy: true }

            """
    case 8:
        return """
              - name: property-\(index)
                on: artifact_property.added
                when: { property_key: qa.approved, repo: \(repo) }
                do:
                  - delete_properties: [qa.status]

            """
    default:
        // No repository condition and a regex: met by every artifact.deployed event.
        return """
              - name: any-\(index)
                on: artifact.deployed
                when:
                  any:
                    - { name: { matches: '-sources\\.jar$' } }
                    - { origin: "https://edge-\(index).example.com" }
                do:
                  - delete: {}

            """
    }
}

func ruleSet(size: Int) throws -> RuleSet {
    let text = "rules:\n" + (0..<size).map(rule).joined()
    return try RuleSet.compile([RuleSource(file: "bench-\(size).yml", text: text)])
}

let event = try WebhookEvent(
    body: Array(
        #"""
        {"domain":"artifact","event_type":"deployed","data":{"repo_key":"team3-release-local",
         "path":"com/acme/payments/payments-core/2.4.1/payments-core-2.4.1.jar","name":"payments-core-2.4.1.jar",
         "sha256":"29e0d04004fdeee2cd68651a27ae6020b1b98dd35cc3942745a93cc2a13a4ced","size":1843307},
         "subscription_key":"sub-main","jpd_origin":"https://artifactory.example.com",
         "source":"jfrog/jfrt@01j9x3k7m2q8r4t6v0w5y1z3ab"}
        """#.utf8))
let context = PlanContext(eventID: 42, now: Date(timeIntervalSince1970: 1_764_410_400))

/// Median nanoseconds per plan over `rounds` rounds of `iterations` plans each.
func measure(_ rules: RuleSet, rounds: Int = 101, iterations: Int) -> (median: Double, plan: Plan) {
    let clock = ContinuousClock()
    var last = rules.plan(event, context: context)
    for _ in 0..<iterations { last = rules.plan(event, context: context) }  // warm up
    var samples: [Double] = []
    for _ in 0..<rounds {
        let elapsed = clock.measure {
            for _ in 0..<iterations { last = rules.plan(event, context: context) }
        }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        samples.append(nanoseconds / Double(iterations))
    }
    samples.sort()
    return (samples[samples.count / 2], last)
}

// `--profile N`: only plan 2,000 times against N rules, for valgrind's callgrind (instruction counts do
// not depend on what else the machine is doing).
if let flag = CommandLine.arguments.firstIndex(of: "--profile"), let size = Int(CommandLine.arguments[flag + 1]) {
    let rules = try ruleSet(size: size)
    var actions = 0
    for _ in 0..<2_000 { actions += rules.plan(event, context: context).actions.count }
    print("planned \(actions) actions")
    exit(0)
}

print("rules  matched  actions  median ns/plan")
for size in [10, 100, 1_000] {
    let rules = try ruleSet(size: size)
    let result = measure(rules, iterations: max(200, 20_000 / size))
    let line = [
        String(size).padding(toLength: 7, withPad: " ", startingAt: 0),
        String(result.plan.matchedRules.count).padding(toLength: 9, withPad: " ", startingAt: 0),
        String(result.plan.actions.count).padding(toLength: 9, withPad: " ", startingAt: 0),
        String(Int(result.median.rounded())),
    ]
    print(line.joined())
}
