#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`): every connection, store file and outbound
/// call holds one descriptor, and past the soft limit nothing more opens.
public struct DescriptorLimit: Sendable, Equatable {
    /// The limit in force: opening a descriptor past it fails with `EMFILE`.
    public var soft: Int
    /// The most the soft limit may be raised to without privilege.
    public var hard: Int

    public init(soft: Int, hard: Int) {
        self.soft = soft
        self.hard = hard
    }

    /// The limit now; `nil` when the system does not say.
    public static func current() -> DescriptorLimit? {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return nil }
        return DescriptorLimit(soft: Self.count(limit.rlim_cur), hard: Self.count(limit.rlim_max))
    }

    /// Raises the soft limit to the hard one and returns the limit then in force (unchanged when the
    /// system refuses; `nil` when it does not say). `systemd` starts services with a soft limit of
    /// 1024 whatever the hard one, which a few hundred idle connections use up.
    public static func raiseSoftToHard() -> DescriptorLimit? {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return nil }
        if limit.rlim_cur != limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            _ = setrlimit(resourceNOFILE, &raised)
        }
        return current()
    }

    /// Descriptors kept free of client connections, for the store, the worker's calls to
    /// Artifactory, the rules and the logs: a quarter of the soft limit, at least 128.
    public var reserved: Int { max(128, soft / 4) }

    /// How many client connections fit beside ``reserved`` (at least 2: one per listener).
    public var forConnections: Int { max(2, soft - reserved) }

    private static func count(_ value: rlim_t) -> Int {
        value > rlim_t(Int.max) ? Int.max : Int(value)
    }

    #if canImport(Glibc)
    private static let resourceNOFILE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNOFILE = RLIMIT_NOFILE
    #endif
}
