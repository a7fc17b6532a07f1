/// Re-indents JSON text without parsing it into values, so member order and every digit of every
/// number stay exactly as received. Input that is not JSON comes out re-spaced but unharmed.
///
/// With ``Limits`` the text is folded for reading: a container nested deeper than the limit is
/// shown as `[… N items]` or `{… N keys}`, a long string is cut (`"abc…"`), a long list or object
/// ends with `… N more`, and the output stops at a size. ``Output/folded`` says whether any of it
/// happened, so the reader can be told where the exact bytes are.
public enum JSONPrettyPrinter {
    /// How much of a body is shown.
    public struct Limits: Sendable, Hashable {
        /// Containers nested deeper than this are folded to their item count.
        public var depth: Int
        /// Strings longer than this many bytes are cut.
        public var stringBytes: Int
        /// A list or object shows this many items, then how many more there are.
        public var items: Int
        /// The output stops after about this many bytes.
        public var outputBytes: Int

        public init(depth: Int, stringBytes: Int, items: Int, outputBytes: Int) {
            self.depth = depth
            self.stringBytes = stringBytes
            self.items = items
            self.outputBytes = outputBytes
        }

        /// Everything shown.
        public static let unbounded = Limits(depth: .max, stringBytes: .max, items: .max, outputBytes: .max)
        /// For a terminal: 32 levels, 4 KiB strings, 1000 items, 4 MiB in all.
        public static let terminal = Limits(depth: 32, stringBytes: 4096, items: 1000, outputBytes: 4 << 20)
    }

    /// The formatted text and whether the limits shortened it.
    public struct Output: Sendable, Hashable {
        public var text: String
        public var folded: Bool
    }

    /// `bytes` indented by `indent` spaces per level, in full.
    public static func format(_ bytes: some Collection<UInt8>, indent: Int = 2) -> String {
        format(bytes, indent: indent, limits: .unbounded).text
    }

    /// `bytes` indented by `indent` spaces per level, folded to `limits`.
    public static func format(_ bytes: some Collection<UInt8>, indent: Int = 2, limits: Limits) -> Output {
        var printer = Printer(indent: indent, limits: limits)
        for byte in bytes {
            guard printer.out.count <= limits.outputBytes else {
                printer.folded = true
                break
            }
            printer.consume(byte)
        }
        return Output(text: String(decoding: printer.out, as: UTF8.self), folded: printer.folded)
    }

    /// What is skipped while a container is folded (`fold`) or its items past the limit (`rest`).
    private struct Skip {
        enum Mode { case fold, rest }
        var mode: Mode
        /// `{` or `[` of the container whose items are counted.
        var opener: UInt8
        /// Nesting below that container.
        var depth = 0
        var commas = 0
        var sawValue = false
        var inString = false
        var escaped = false

        var items: Int { sawValue ? commas + 1 : 0 }
    }

    private struct Printer {
        let indent: Int
        let limits: Limits
        var out: [UInt8] = []
        var folded = false
        var depth = 0
        var inString = false
        var escaped = false
        var justOpened = false
        /// Bytes of the current string written, and whether the rest of it is dropped.
        var stringBytes = 0
        var cutting = false
        /// Commas seen in each open container, innermost last.
        var commas: [Int] = []
        var skip: Skip?

        init(indent: Int, limits: Limits) {
            self.indent = indent
            self.limits = limits
        }

        mutating func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
        }

        mutating func consume(_ byte: UInt8) {
            if skip != nil { return skipping(byte) }
            if inString { return string(byte) }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                return
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if justOpened { newline(depth) }
                if depth >= limits.depth {
                    folded = true
                    skip = Skip(mode: .fold, opener: byte)
                    justOpened = false
                    return
                }
                out.append(byte)
                depth += 1
                commas.append(0)
                justOpened = true
                return
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                close(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline(depth)
                if !commas.isEmpty {
                    commas[commas.count - 1] += 1
                    if commas[commas.count - 1] >= limits.items {
                        folded = true
                        skip = Skip(mode: .rest, opener: UInt8(ascii: "["))
                    }
                }
            case UInt8(ascii: ":"):
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            default:
                if justOpened { newline(depth) }
                if byte == UInt8(ascii: "\"") {
                    inString = true
                    stringBytes = 0
                    cutting = false
                }
                out.append(byte)
            }
            justOpened = false
        }

        mutating func close(_ byte: UInt8) {
            depth = max(0, depth - 1)
            if !commas.isEmpty { commas.removeLast() }
            if !justOpened { newline(depth) }
            out.append(byte)
        }

        mutating func string(_ byte: UInt8) {
            let ends = !escaped && byte == UInt8(ascii: "\"")
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            }
            if ends {
                inString = false
                if cutting { out.append(contentsOf: Array("…".utf8)) }
                out.append(byte)
                return
            }
            guard !cutting else { return }
            // Cut before a byte that starts a character, never inside one.
            if stringBytes >= limits.stringBytes, byte & 0xC0 != 0x80 {
                cutting = true
                folded = true
                return
            }
            stringBytes += 1
            out.append(byte)
        }

        mutating func skipping(_ byte: UInt8) {
            guard var current = skip else { return }
            if current.inString {
                if current.escaped {
                    current.escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    current.escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    current.inString = false
                }
                skip = current
                return
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                break
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if current.depth == 0 { current.sawValue = true }
                current.depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if current.depth > 0 {
                    current.depth -= 1
                } else {
                    skip = nil
                    return finish(current, closing: byte)
                }
            case UInt8(ascii: ","):
                if current.depth == 0 { current.commas += 1 }
            default:
                if current.depth == 0 { current.sawValue = true }
                if byte == UInt8(ascii: "\"") { current.inString = true }
            }
            skip = current
        }

        /// Writes what stands for the skipped part once its container closes with `byte`.
        mutating func finish(_ skipped: Skip, closing byte: UInt8) {
            let items = skipped.items
            switch skipped.mode {
            case .fold:
                let object = skipped.opener == UInt8(ascii: "{")
                let noun = object ? (items == 1 ? "key" : "keys") : (items == 1 ? "item" : "items")
                let summary =
                    items == 0 ? (object ? "{}" : "[]") : object ? "{… \(items) \(noun)}" : "[… \(items) \(noun)]"
                out.append(contentsOf: Array(summary.utf8))
            case .rest:
                out.append(contentsOf: Array("… \(items) more".utf8))
                justOpened = false
                close(byte)
            }
        }
    }
}
