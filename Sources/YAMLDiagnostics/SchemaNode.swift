/// What one value of a YAML file may be: the declarative description a reader takes its known keys
/// from and ``SchemaDocument`` renders as JSON Schema, so the checker and the schema editors use
/// cannot drift apart.
///
/// It describes structure only (keys, value kinds, enumerations, required keys); what depends on
/// several values or on the event catalog stays with the readers.
public struct SchemaNode: Sendable {
    /// The value kinds a node may have.
    public indirect enum Kind: Sendable {
        /// A text, matching `pattern` when one is given (templates are texts).
        case text(pattern: String?)
        /// One of these texts.
        case choice([String])
        /// Any scalar: a text, a number or a boolean, read as text (a condition's value).
        case scalar
        /// A whole number of at least `minimum`.
        case integer(minimum: Int?)
        /// `true` or `false`.
        case boolean
        /// A list of `element`, with at least `minItems` of them.
        case list(SchemaNode, minItems: Int)
        /// A mapping with known keys.
        case mapping(SchemaMapping)
        /// Any of these.
        case anyOf([SchemaNode])
        /// A definition of the document, by name (for recursive parts such as conditions).
        case reference(String)
        /// Any value at all (a JSON body).
        case anything
        /// No value (`key:` or `key: ~`).
        case nothing
    }

    /// The value kind.
    public var kind: Kind
    /// Help shown on hover; `nil` for none.
    public var description: String?

    /// A node of `kind`.
    public init(_ kind: Kind, _ description: String? = nil) {
        self.kind = kind
        self.description = description
    }

    /// A text, optionally matching `pattern`.
    public static func text(_ description: String? = nil, pattern: String? = nil) -> SchemaNode {
        SchemaNode(.text(pattern: pattern), description)
    }

    /// One of `values`.
    public static func choice(_ values: [String], _ description: String? = nil) -> SchemaNode {
        SchemaNode(.choice(values), description)
    }

    /// Any scalar.
    public static func scalar(_ description: String? = nil) -> SchemaNode { SchemaNode(.scalar, description) }

    /// A whole number of at least `minimum`.
    public static func integer(_ description: String? = nil, minimum: Int? = nil) -> SchemaNode {
        SchemaNode(.integer(minimum: minimum), description)
    }

    /// `true` or `false`.
    public static func boolean(_ description: String? = nil) -> SchemaNode { SchemaNode(.boolean, description) }

    /// A list of `element`.
    public static func list(_ element: SchemaNode, minItems: Int = 0, _ description: String? = nil) -> SchemaNode {
        SchemaNode(.list(element, minItems: minItems), description)
    }

    /// A mapping.
    public static func mapping(_ mapping: SchemaMapping, _ description: String? = nil) -> SchemaNode {
        SchemaNode(.mapping(mapping), description)
    }

    /// Any of `nodes`.
    public static func anyOf(_ nodes: [SchemaNode], _ description: String? = nil) -> SchemaNode {
        SchemaNode(.anyOf(nodes), description)
    }

    /// The definition `name`.
    public static func reference(_ name: String, _ description: String? = nil) -> SchemaNode {
        SchemaNode(.reference(name), description)
    }

    /// Anything.
    public static func anything(_ description: String? = nil) -> SchemaNode { SchemaNode(.anything, description) }

    /// The same node with `description`.
    public func described(_ description: String) -> SchemaNode { SchemaNode(kind, description) }

    /// The mapping this node is, when it is one.
    public var mapping: SchemaMapping? {
        if case .mapping(let mapping) = kind { return mapping }
        return nil
    }
}

/// The keys of a mapping: each known key with its value, keys matching a pattern, and what other
/// keys may hold (`nil`: no other key).
public struct SchemaMapping: Sendable {
    /// One known key.
    public struct Key: Sendable {
        /// The key as written in the file.
        public var name: String
        /// Its value.
        public var value: SchemaNode
        /// Whether the mapping needs it.
        public var required: Bool

        /// A key; optional unless `required`.
        public init(_ name: String, _ value: SchemaNode, required: Bool = false) {
            self.name = name
            self.value = value
            self.required = required
        }
    }

    /// The known keys, in the order documentation lists them.
    public var keys: [Key]
    /// Keys matching a regular expression (`^data\.`) and their values.
    public var patternKeys: [(pattern: String, value: SchemaNode)]
    /// What a key neither known nor matching may hold; `nil` when there may be none.
    public var otherKeys: SchemaNode?
    /// The fewest keys the mapping may have.
    public var minKeys: Int
    /// Keys of which the mapping needs exactly one (`url` or `url_file`); empty: no such rule.
    public var exactlyOne: [String] = []

    /// A mapping of `keys`.
    public init(
        _ keys: [Key], patternKeys: [(pattern: String, value: SchemaNode)] = [], otherKeys: SchemaNode? = nil,
        minKeys: Int = 0
    ) {
        self.keys = keys
        self.patternKeys = patternKeys
        self.otherKeys = otherKeys
        self.minKeys = minKeys
    }

    /// The names of the known keys: what a reader passes to
    /// ``YAMLMappingReader/rejectUnknownKeys(_:)``.
    public var keyNames: [String] { keys.map(\.name) }

    /// The value of the known key `name`.
    public func value(_ name: String) -> SchemaNode? {
        keys.first { $0.name == name }?.value
    }

    /// The same mapping with `more` keys after its own.
    public func adding(_ more: [Key]) -> SchemaMapping {
        var copy = self
        copy.keys += more
        return copy
    }
}
