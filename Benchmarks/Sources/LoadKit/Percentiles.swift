/// Percentiles of a list of samples (nearest rank).
public struct Percentiles: Sendable {
    public let sorted: [Double]

    public init(_ values: [Double]) {
        sorted = values.sorted()
    }

    /// The value below which `fraction` of the samples lie; 0 without samples.
    public func at(_ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    public var median: Double { at(0.5) }
}
