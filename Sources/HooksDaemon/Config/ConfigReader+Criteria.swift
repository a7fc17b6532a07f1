import ArtifactoryEvents
import YAMLDiagnostics

/// A subscription's `criteria:`: which repositories, builds or release bundles it covers, in the
/// config's snake_case keys, turned into the Event API's members.
extension ConfigReader {
    func readCriteria(_ entry: YAMLMappingReader, domain: EventDomain) -> [DaemonConfig.Criterion]? {
        let node = entry.value("criteria")
        guard let keys = Self.criteriaKeys(of: domain) else {
            if let node {
                document.report("domain \(domain.rawValue) takes no criteria; remove them", at: node)
                return nil
            }
            return []
        }
        guard let node else {
            document.report(
                "missing \"criteria\": \(domain.rawValue) subscriptions say what they cover (\(selectors(keys)))",
                at: entry.node)
            return nil
        }
        guard let section = YAMLMappingReader(node, in: document) else { return nil }
        section.rejectUnknownKeys(keys.map(\.key))
        var criteria: [DaemonConfig.Criterion] = []
        var selects = false
        var valid = true
        for key in keys {
            guard section.value(key.key) != nil else {
                criteria.append(.init(name: key.apiName, value: key.isFlag ? .flag(false) : .list([])))
                continue
            }
            if key.isFlag {
                guard let flag = section.boolean(key.key) else {
                    valid = false
                    continue
                }
                selects = selects || flag
                criteria.append(.init(name: key.apiName, value: .flag(flag)))
            } else {
                guard let list = strings(section, key.key) else {
                    valid = false
                    continue
                }
                if !key.key.hasSuffix("_patterns") { selects = selects || !list.isEmpty }
                criteria.append(.init(name: key.apiName, value: .list(list)))
            }
        }
        guard valid else { return nil }
        if !selects {
            document.report("the criteria select nothing: set one of \(selectors(keys))", at: node)
            return nil
        }
        return criteria
    }

    /// The keys that select (flags and name lists, not patterns), for messages.
    private func selectors(_ keys: [CriterionKey]) -> String {
        keys.filter { !$0.key.hasSuffix("_patterns") }.map(\.key).joined(separator: ", ")
    }

    /// A list of non-empty texts; reported and `nil` otherwise.
    private func strings(_ section: YAMLMappingReader, _ key: String) -> [String]? {
        guard let node = section.value(key) else { return nil }
        guard let items = node.items else {
            document.report("expected a list, such as [libs-release-local]", at: node)
            return nil
        }
        var values: [String] = []
        for item in items {
            guard let text = item.scalar, !text.isEmpty, !item.isNull else {
                document.report("expected a text, found \(item.typeName)", at: item)
                return nil
            }
            values.append(text)
        }
        return values
    }
}
