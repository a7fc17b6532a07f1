public import Foundation

/// The secret a secret file holds: its text without an editor's byte-order mark and without the
/// line break (LF or CRLF) that ends it. The daemon and `send` read secret files alike.
public enum SecretFileText {
    public static func secret(in data: Data) -> String {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.trimmingCharacters(in: .newlines)
    }
}
