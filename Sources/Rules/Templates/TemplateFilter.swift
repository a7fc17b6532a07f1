import Foundation
import YAMLDiagnostics

/// One filter of a template expression: `{{ data.path | dirname }}`,
/// `{{ data.name | strip_suffix: ".jar" | upper }}`.
///
/// A filter maps one value to another, left to right. A value the event does not carry (or
/// carries empty) passes every filter as absent until a `default:` supplies one; a filter whose
/// result is empty makes the value absent too. Comparisons are code point for code point, as
/// Artifactory compares names.
enum TemplateFilter: Sendable, Hashable, CustomStringConvertible {
    /// The text before the last `/` (`a/b/c.jar` → `a/b`); empty when there is no `/`.
    case dirname
    /// The text after the last `/` (`a/b/c.jar` → `c.jar`); the whole text when there is no `/`.
    case basename
    /// The text without this ending, when it ends with it; unchanged otherwise.
    case stripSuffix(String)
    /// The text without this beginning, when it starts with it; unchanged otherwise.
    case stripPrefix(String)
    /// Unicode lower case.
    case lower
    /// Unicode upper case.
    case upper
    /// Every occurrence of the first text (never empty) replaced by the second, left to right.
    case replace(String, String)
    /// This text (never empty) when the value is absent or empty; the value otherwise.
    case defaultValue(String)

    /// Every filter name with its arguments, as `rules check` lists them.
    static let forms: [(name: String, arguments: [String])] = [
        ("dirname", []), ("basename", []), ("strip_suffix", ["SUFFIX"]), ("strip_prefix", ["PREFIX"]),
        ("lower", []), ("upper", []), ("replace", ["OLD", "NEW"]), ("default", ["VALUE"]),
    ]

    /// The filter `name` with `arguments` (the quoted strings after `name:`, unquoted).
    init(name: String, arguments: [String]) throws(RulesError) {
        guard let form = Self.forms.first(where: { $0.name == name }) else {
            var message = "unknown filter \"\(name)\""
            if let suggestion = closest(to: name, in: Self.forms.map(\.name)) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message += "; use one of " + Self.forms.map(\.name).joined(separator: ", ")
            }
            throw RulesError(.badTemplate, message)
        }
        guard arguments.count == form.arguments.count else {
            throw RulesError(.badTemplate, Self.usage(of: form, got: arguments.count))
        }
        switch name {
        case "dirname": self = .dirname
        case "basename": self = .basename
        case "strip_suffix": self = .stripSuffix(arguments[0])
        case "strip_prefix": self = .stripPrefix(arguments[0])
        case "lower": self = .lower
        case "upper": self = .upper
        case "replace":
            guard !arguments[0].isEmpty else {
                throw RulesError(.badTemplate, "replace: the text to replace cannot be empty")
            }
            self = .replace(arguments[0], arguments[1])
        default:
            guard !arguments[0].isEmpty else {
                throw RulesError(.badTemplate, "default: the value cannot be empty; a template never renders empty")
            }
            self = .defaultValue(arguments[0])
        }
    }

    /// `dirname takes no argument`, `replace takes 2 arguments: replace: "OLD", "NEW"`.
    private static func usage(of form: (name: String, arguments: [String]), got: Int) -> String {
        guard !form.arguments.isEmpty else { return "\(form.name) takes no argument; write: | \(form.name)" }
        let count = form.arguments.count == 1 ? "1 argument" : "\(form.arguments.count) arguments"
        let example = form.arguments.map { "\"\($0)\"" }.joined(separator: ", ")
        return "\(form.name) takes \(count), found \(got); write: | \(form.name): \(example)"
    }

    /// The filter's name and arguments: how a stored child action keeps it.
    var stored: [String] {
        switch self {
        case .dirname: ["dirname"]
        case .basename: ["basename"]
        case .stripSuffix(let suffix): ["strip_suffix", suffix]
        case .stripPrefix(let prefix): ["strip_prefix", prefix]
        case .lower: ["lower"]
        case .upper: ["upper"]
        case .replace(let old, let new): ["replace", old, new]
        case .defaultValue(let value): ["default", value]
        }
    }

    /// The filter as a template writes it: `strip_suffix: ".jar"`.
    var description: String {
        let parts = stored
        guard parts.count > 1 else { return parts[0] }
        return parts[0] + ": " + parts.dropFirst().map(Self.quoted).joined(separator: ", ")
    }

    /// `text` as a double-quoted filter argument.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The filtered value; `nil` (absent) for an absent input, except through `default`, and for
    /// an empty result.
    func apply(_ value: String?) -> String? {
        if case .defaultValue(let fallback) = self { return value ?? fallback }
        guard let value else { return nil }
        let result: String
        switch self {
        case .dirname:
            let path = Self.trimmingTrailingSlashes(value)
            guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
            result = Self.trimmingTrailingSlashes(String(path[..<slash]))
        case .basename:
            let path = Self.trimmingTrailingSlashes(value)
            guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path.isEmpty ? nil : path }
            result = String(path[path.utf8.index(after: slash)...])
        case .stripSuffix(let suffix):
            let (bytes, end) = (Array(value.utf8), Array(suffix.utf8))
            guard bytes.count >= end.count, bytes.suffix(end.count).elementsEqual(end) else { return value }
            result = String(decoding: bytes.dropLast(end.count), as: UTF8.self)
        case .stripPrefix(let prefix):
            let (bytes, start) = (Array(value.utf8), Array(prefix.utf8))
            guard bytes.count >= start.count, bytes.prefix(start.count).elementsEqual(start) else { return value }
            result = String(decoding: bytes.dropFirst(start.count), as: UTF8.self)
        case .lower: result = value.lowercased()
        case .upper: result = value.uppercased()
        case .replace(let old, let new): result = Self.replacing(old, with: new, in: value)
        case .defaultValue: result = value
        }
        return result.isEmpty ? nil : result
    }

    private static func trimmingTrailingSlashes(_ text: String) -> String {
        var bytes = Substring(text).utf8[...]
        while bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every non-overlapping occurrence of `old` replaced by `new`, compared byte for byte.
    private static func replacing(_ old: String, with new: String, in value: String) -> String {
        let (bytes, pattern) = (Array(value.utf8), Array(old.utf8))
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + pattern.count <= bytes.count, bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                out += new.utf8
                index += pattern.count
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
