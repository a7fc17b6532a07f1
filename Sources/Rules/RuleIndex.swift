import ArtifactoryEvents

/// The enabled rules by event kind (exact and `DOMAIN.*`) and, where a rule requires literal
/// repository keys, by repository, so planning looks only at rules that can match.
struct RuleIndex: Sendable {
    /// Rule positions for one selector: those that take any repository, and those that require one.
    private struct Bucket: Sendable {
        var anyRepo: [Int] = []
        var byRepo: [String: [Int]] = [:]

        mutating func add(_ position: Int, repos: [String]?) {
            guard let repos else {
                anyRepo.append(position)
                return
            }
            for repo in Set(repos) { byRepo[repo, default: []].append(position) }
        }
    }

    private var byKind: [EventKind: Bucket] = [:]
    private var byDomain: [EventDomain: Bucket] = [:]

    init(_ rules: [Rule]) {
        for (position, rule) in rules.enumerated() where rule.enabled {
            let repos = rule.condition.requiredRepos
            for selector in Set(rule.selectors) {
                switch selector {
                case .kind(let kind): byKind[kind, default: Bucket()].add(position, repos: repos)
                case .domain(let domain): byDomain[domain, default: Bucket()].add(position, repos: repos)
                }
            }
        }
    }

    /// The positions of the rules that may match an event of `kind` in `repo`, ascending, each once.
    func candidates(kind: EventKind, repo: String?) -> [Int] {
        var lists: [[Int]] = []
        for bucket in [byKind[kind], byDomain[kind.domain]] {
            guard let bucket else { continue }
            if !bucket.anyRepo.isEmpty { lists.append(bucket.anyRepo) }
            if let repo, let matching = bucket.byRepo[repo] { lists.append(matching) }
        }
        switch lists.count {
        case 0: return []
        case 1: return lists[0]
        default:
            var merged = lists.flatMap { $0 }
            merged.sort()
            var unique: [Int] = []
            unique.reserveCapacity(merged.count)
            for position in merged where unique.last != position { unique.append(position) }
            return unique
        }
    }
}
