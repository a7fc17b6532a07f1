import Foundation

/// The kinds of value most keys hold, each with its one parser and its message.
extension ConfigSetting where Value == Duration {
    /// A duration (``DurationText``); `0` only when `allowsZero`.
    static func duration(
        _ key: String, variable: String? = nil, example: String, environmentExample: String? = nil,
        allowsZero: Bool = false
    ) -> Self {
        ConfigSetting(
            key, variable: variable,
            parse: { text in DurationText.parse(text).flatMap { allowsZero || $0 > .zero ? $0 : nil } },
            problem: { DurationText.problem($0, example: example) },
            environmentProblem: { DurationText.problem($0, example: environmentExample ?? example) })
    }
}

extension ConfigSetting where Value == Duration? {
    /// A duration where `0` means never (`nil`).
    static func timeout(_ key: String, example: String) -> Self {
        ConfigSetting(
            key,
            parse: { text -> Duration?? in
                guard let timeout = DurationText.parse(text) else { return nil }
                return .some(timeout == .zero ? nil : timeout)
            },
            problem: { DurationText.problem($0, example: example) })
    }
}

extension ConfigSetting where Value == Int {
    /// A positive size (``ByteCount``): `1048576`, `512KiB`, `1MiB`.
    static func size(_ key: String, variable: String? = nil, example: String) -> Self {
        ConfigSetting(
            key, variable: variable, parse: { ByteCount.parse($0).flatMap { $0 > 0 ? $0 : nil } },
            problem: { "expected a size such as \(example), found \"\($0)\"" },
            environmentProblem: { "expected a size, found \"\($0)\"" })
    }

    /// A whole number (`_` may group digits) of at least `minimum`; `problem` says what is
    /// wrong with one below it.
    static func count(
        _ key: String, variable: String? = nil, minimum: Int, belowMinimum: String? = nil,
        environmentProblem: ((String) -> String)? = nil
    ) -> Self {
        ConfigSetting(
            key, variable: variable, parse: { wholeNumber($0).flatMap { $0 >= minimum ? $0 : nil } },
            problem: { text in
                wholeNumber(text) == nil
                    ? "expected a whole number, found \"\(text)\"" : belowMinimum ?? "must be at least \(minimum)"
            },
            environmentProblem: environmentProblem)
    }

    /// `text` as a whole number, as ``YAMLMappingReader/integer(_:)`` reads it.
    private static func wholeNumber(_ text: String) -> Int? {
        Int(text.replacingOccurrences(of: "_", with: ""))
    }
}
