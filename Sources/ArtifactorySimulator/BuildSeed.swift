/// A build run to record when the simulator starts, as `artifactory-sim --build` gives it:
/// `NAME:NUMBER:REPO/PATH[,REPO/PATH…][:PROJECT]`.
///
/// Recording it creates the files (and their repositories) and a build run whose module lists
/// them as artifacts, so AQL's build relation finds them (see
/// ``SimulatorState/addBuild(name:number:project:started:files:)``).
public struct BuildSeed: Sendable, Hashable {
    /// One artifact file.
    public struct File: Sendable, Hashable {
        public var repo: String
        public var path: String
    }

    public var name: String
    public var number: String
    /// The project key, for a project's build; `nil` for the default build-info repository.
    public var project: String?
    public var files: [File]

    /// Parses `NAME:NUMBER:REPO/PATH[,REPO/PATH…][:PROJECT]`. A build name with `:` cannot be
    /// given this way; a path with an empty, `.` or `..` segment is refused.
    public init(parsing text: String) throws(SimulatorError) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let usage = "--build takes NAME:NUMBER:REPO/PATH[,REPO/PATH…][:PROJECT], not \"\(text)\""
        guard fields.count == 3 || fields.count == 4, !fields[0].isEmpty, !fields[1].isEmpty,
            fields.count == 3 || !fields[3].isEmpty
        else { throw .badRequest(usage) }
        name = fields[0]
        number = fields[1]
        project = fields.count == 4 ? fields[3] : nil
        files = []
        for location in fields[2].split(separator: ",", omittingEmptySubsequences: false) {
            let segments = location.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard segments.count >= 2, segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
                throw .badRequest(usage)
            }
            files.append(File(repo: segments[0], path: segments.dropFirst().joined(separator: "/")))
        }
    }

    /// Records the build run and its files in `state`.
    public func record(in state: SimulatorState) throws(SimulatorError) {
        try state.addBuild(name: name, number: number, project: project, files: files.map { ($0.repo, $0.path) })
    }
}
