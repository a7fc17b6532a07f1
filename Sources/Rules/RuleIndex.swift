import ArtifactoryEvents

/// The enabled rules by event kind (exact and `DOMAIN.*`) and, where a rule's top-level `repo:`
/// names literal repositories or globs with a literal start (`libs-*`), by repository, so planning
/// looks only at rules that can match.
struct RuleIndex: Sendable {
    /// Rule positions (each list ascending) for one kind.
    private struct Bucket: Sendable {
        /// Rules that take any repository.
        var anyRepo: [Int] = []
        /// Rules that require one of some repositories, by repository key.
        var byRepo: [String: [Int]] = [:]
        /// Rules that require a repository starting with a prefix, by prefix.
        var byPrefix: [String: [Int]] = [:]
        /// The distinct UTF-8 lengths of the prefixes, ascending.
        var prefixLengths: [Int] = []

        mutating func add(_ position: Int, keys: [ValueMatcher.IndexKey]?) {
            guard let keys else {
                anyRepo.append(position)
                return
            }
            for key in Set(keys) {
                switch key {
                case .exact(let repo): byRepo[repo, default: []].append(position)
                case .prefix(let prefix):
                    byPrefix[prefix, default: []].append(position)
                    if !prefixLengths.contains(prefix.utf8.count) {
                        prefixLengths.append(prefix.utf8.count)
                        prefixLengths.sort()
                    }
                }
            }
        }

        /// Both buckets' rules, each list still ascending and without repeats.
        func merged(with other: Bucket) -> Bucket {
            Bucket(
                anyRepo: RuleIndex.union(anyRepo, other.anyRepo),
                byRepo: byRepo.merging(other.byRepo, uniquingKeysWith: RuleIndex.union),
                byPrefix: byPrefix.merging(other.byPrefix, uniquingKeysWith: RuleIndex.union),
                prefixLengths: Set(prefixLengths + other.prefixLengths).sorted())
        }

        func candidates(repo: String?) -> [Int] {
            guard let repo else { return anyRepo }
            var result = anyRepo
            if let exact = byRepo[repo] { result = RuleIndex.union(result, exact) }
            let bytes = repo.utf8
            for length in prefixLengths {
                guard length <= bytes.count else { break }
                let prefix = String(decoding: bytes.prefix(length), as: UTF8.self)
                if let matching = byPrefix[prefix] { result = RuleIndex.union(result, matching) }
            }
            return result
        }
    }

    /// Exact kinds, each bucket already holding its domain's `DOMAIN.*` rules too.
    private var byKind: [EventKind: Bucket] = [:]
    /// `DOMAIN.*` rules, for kinds no rule names exactly.
    private var byDomain: [EventDomain: Bucket] = [:]

    init(_ rules: [Rule]) {
        for (position, rule) in rules.enumerated() where rule.enabled {
            let keys = rule.condition.repoKeys
            for selector in Set(rule.selectors) {
                switch selector {
                case .kind(let kind): byKind[kind, default: Bucket()].add(position, keys: keys)
                case .domain(let domain): byDomain[domain, default: Bucket()].add(position, keys: keys)
                }
            }
        }
        for (kind, bucket) in byKind {
            if let domain = byDomain[kind.domain] { byKind[kind] = bucket.merged(with: domain) }
        }
    }

    /// The positions of the rules that may match an event of `kind` in `repo`, ascending, each once.
    func candidates(kind: EventKind, repo: String?) -> [Int] {
        (byKind[kind] ?? byDomain[kind.domain])?.candidates(repo: repo) ?? []
    }

    /// The union of two ascending lists without repeats, ascending.
    static func union(_ first: [Int], _ second: [Int]) -> [Int] {
        if first.isEmpty { return second }
        if second.isEmpty { return first }
        return first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                [Int](unsafeUninitializedCapacity: first.count + second.count) { result, count in
                    var (i, j, k) = (0, 0, 0)
                    while i < first.count, j < second.count {
                        let (a, b) = (first[i], second[j])
                        result[k] = a <= b ? a : b
                        if a <= b { i += 1 }
                        if b <= a { j += 1 }
                        k += 1
                    }
                    while i < first.count {
                        result[k] = first[i]
                        i += 1
                        k += 1
                    }
                    while j < second.count {
                        result[k] = second[j]
                        j += 1
                        k += 1
                    }
                    count = k
                }
            }
        }
    }
}
