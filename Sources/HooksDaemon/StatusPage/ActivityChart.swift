import Foundation

/// A stacked bar chart of counts per minute, rendered on the server as SVG: one bar per bucket,
/// one coloured segment per series (the colours come from the stylesheet's `s-*` classes, since the
/// Content-Security-Policy allows no inline style). Only numbers and this type's own labels go
/// into the markup.
struct ActivityChart: Sendable {
    /// One stacked series: its CSS class suffix (`stored` → `s-stored`), its legend and a count per
    /// bucket.
    struct Series: Sendable {
        var cssClass: String
        var label: String
        var counts: [Int]
    }

    /// The buckets' count (1440 minutes for 24 hours).
    var buckets: Int
    var series: [Series]
    /// What a bucket is, for the tooltip-free summary line ("minute").
    var unit: String = "minute"

    /// The chart's height in SVG units; its width is ``buckets``.
    static let height = 100

    /// The highest stack.
    var peak: Int {
        (0..<buckets).map { bucket in
            series.reduce(0) { $0 + ($1.counts.indices.contains(bucket) ? $1.counts[bucket] : 0) }
        }
        .max() ?? 0
    }

    /// The SVG element and its legend, as HTML.
    var html: String {
        let peak = max(self.peak, 1)
        let height = Self.height
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(buckets) \(height)\" preserveAspectRatio=\"none\" role=\"img\""
            + " aria-label=\"\(label)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<line class=\"axis\" x1=\"0\" y1=\"\(height)\" x2=\"\(buckets)\" y2=\"\(height)\"/>"
        for bucket in 0..<buckets {
            var base = 0
            for entry in series {
                let count = entry.counts.indices.contains(bucket) ? entry.counts[bucket] : 0
                guard count > 0 else { continue }
                let top = base + count
                // Scaled on the peak; a bucket with any count shows at least one unit.
                let y0 = height - base * height / peak
                let y1 = min(y0 - 1, height - top * height / peak)
                svg +=
                    "<rect class=\"s-\(entry.cssClass)\" x=\"\(bucket)\" y=\"\(y1)\" width=\"1\" height=\"\(y0 - y1)\"/>"
                base = top
            }
        }
        svg += "</svg>"
        let totals = series.map { "<span class=\"s-\($0.cssClass)\">\($0.label) \($0.counts.reduce(0, +))</span>" }
        return svg
            + "<p class=\"legend\">\(totals.joined(separator: " · ")) · peak \(self.peak) per \(unit)"
            + " · 24 h ago on the left, now on the right</p>"
    }

    private var label: String {
        series.map { "\($0.label) \($0.counts.reduce(0, +))" }.joined(separator: ", ")
    }

    /// Counts per bucket of `width` seconds over the `buckets` buckets ending at `now`, from rows
    /// keyed by their bucket's start.
    static func spread<Row>(
        _ rows: [Row], start: (Row) -> Date, count: (Row) -> Int, now: Date, buckets: Int, width: TimeInterval
    ) -> [Int] {
        var counts = [Int](repeating: 0, count: buckets)
        let last = (now.timeIntervalSince1970 / width).rounded(.down)
        for row in rows {
            let index = buckets - 1 - Int(last - (start(row).timeIntervalSince1970 / width).rounded(.down))
            if counts.indices.contains(index) { counts[index] += count(row) }
        }
        return counts
    }
}
