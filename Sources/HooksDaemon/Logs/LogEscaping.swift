import ArtifactoryEvents

/// Log text made safe for one line (``ControlEscaping``), and log values quoted where a reader
/// splitting `key=value` pairs on spaces would otherwise be misled.
enum LogEscaping {
    /// `text`, escaped; the same string when nothing needs it.
    static func escaped(_ text: String) -> String {
        ControlEscaping.escaped(text)
    }

    /// The value escaped, as is when it is one plain word, otherwise in double quotes with `"`
    /// escaped: a value with a space, a `=` or a quote cannot pass for more `key=value` pairs.
    static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\t" }
        if plain { return escaped(value) }
        var quoted = "\""
        for character in escaped(value) {
            if character == "\"" { quoted += "\\\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }
}
