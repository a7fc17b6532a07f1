import ArtifactoryEvents
import ArtifactoryRequests

extension ActionGuard {
    /// The guard as kept in its job row (the request's `require` member, members sorted):
    /// `{"build_name":"payments","build_number":"42","repo":"libs","path":"com/a.jar","when":…}`,
    /// each target member present only when the guard reads it; `when` is the condition
    /// (``GuardCondition/storedJSON``).
    var storedJSON: String {
        var out = "{"
        var first = true
        func member(_ key: String, _ value: String?) {
            guard let value else { return }
            if !first { out += "," }
            first = false
            JSONObjectWriter.appendQuoted(key, to: &out)
            out += ":"
            JSONObjectWriter.appendQuoted(value, to: &out)
        }
        member("build_name", build?.name.text)
        member("build_number", build?.number.text)
        member("path", item.map { String($0.path) })
        member("repo", item?.repo.text)
        out += (first ? "" : ",") + "\"when\":" + conditionJSON + "}"
        return out
    }

    /// Reads back a guard written by ``storedJSON``.
    init(storedJSON json: String) throws(StoredJSONError) {
        guard let object = try StoredJSONError.parse(json).objectValue else {
            throw StoredJSONError("the guard is not a JSON object")
        }
        guard let when = object["when"] else { throw StoredJSONError("the guard has no \"when\"") }
        let condition = try GuardCondition(stored: when)
        var item: ItemLocation?
        if let repo = try StoredJSONError.optionalString("repo", in: object) {
            let path = try StoredJSONError.string("path", in: object)
            do {
                item = try ItemLocation(repo: repo, path: path)
            } catch {
                throw StoredJSONError("the guard's item is not valid: \(error)")
            }
        }
        var build: BuildRun?
        if let name = try StoredJSONError.optionalString("build_name", in: object) {
            let number = try StoredJSONError.string("build_number", in: object)
            do {
                build = BuildRun(name: try PathSegment(name), number: try PathSegment(number))
            } catch {
                throw StoredJSONError("the guard's build run is not valid: \(error)")
            }
        }
        self.init(condition: condition, item: item, build: build)
    }
}
