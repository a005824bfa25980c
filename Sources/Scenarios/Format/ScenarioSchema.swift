/// The JSON Schema (draft-07) of scenario files, for editors that check YAML against a schema
/// (the YAML language server reads a `# yaml-language-server: $schema=…` header).
///
/// It is written from ``ScenarioFormat``'s tables, so it names every key the loader accepts
/// and no other. It checks shapes, not meaning: a task named in `deps` that does not exist, or
/// a cycle, passes the schema and is refused by the loader, which stays the authority.
public enum ScenarioSchema {
    /// The schema as indented JSON with sorted keys (the same bytes every time).
    public static func json() -> String {
        var definitions: [String: SchemaNode] = [:]
        for table in ScenarioFormat.tables { definitions[table.name] = schema(of: table) }
        let root: [String: SchemaNode] = [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "Orrery scenario",
            "description": .string(
                "A scenario for Orrery: \(ScenarioFormat.scenario.summary) Generated from the loader's key tables (`orrery schema`)."
            ),
            "$ref": "#/definitions/scenario",
            "definitions": .object(definitions),
        ]
        // Encoding a tree of strings, numbers and booleans cannot fail.
        return try! jsonEncoder(pretty: true).text(SchemaNode.object(root)) + "\n"
    }

    static func schema(of table: KeyTable) -> SchemaNode {
        var properties: [String: SchemaNode] = [:]
        for key in table.keys {
            guard case .object(var property) = schema(of: key.value) else { continue }
            let fallback = key.defaultValue.map { " Default: \($0)." } ?? ""
            property["description"] = .string(key.summary + fallback)
            properties[key.name] = .object(property)
        }
        var node: [String: SchemaNode] = [
            "type": "object",
            "description": .string(table.summary),
            "properties": .object(properties),
            "additionalProperties": false,
        ]
        let required = table.keys.filter(\.required).map { SchemaNode.string($0.name) }
        if !required.isEmpty { node["required"] = .array(required) }
        switch table.choice {
        case .none: break
        case .exactlyOne(let group): node["oneOf"] = .array(group.map(requiring))
        case .atLeastOne(let group): node["anyOf"] = .array(group.map(requiring))
        }
        return .object(node)
    }

    private static func requiring(_ key: String) -> SchemaNode {
        .object(["required": .array([.string(key)])])
    }

    static func schema(of shape: ValueShape) -> SchemaNode {
        switch shape {
        case .text:
            return .object(["type": .array(["string", "number"]), "minLength": 1])
        case .word(let words):
            return .object(["enum": .array(words.map(SchemaNode.string))])
        case .boolean:
            return anyOf(
                .object(["type": "boolean"]), .object(["enum": ["yes", "no", "on", "off"]]))
        case .trueOnly:
            return .object(["const": true])
        case .integer(let minimum, let maximum):
            var node: [String: SchemaNode] = ["type": "integer"]
            if let minimum { node["minimum"] = .number(Double(minimum)) }
            if let maximum { node["maximum"] = .number(Double(maximum)) }
            return .object(node)
        case .number(let minimum, let maximum, let infinite):
            var node: [String: SchemaNode] = ["type": "number"]
            if let minimum { node["minimum"] = .number(minimum) }
            if let maximum { node["maximum"] = .number(maximum) }
            return infinite ? anyOf(.object(node), infinity) : .object(node)
        case .positiveNumber(let maximum, let infinite):
            var node: [String: SchemaNode] = ["type": "number", "exclusiveMinimum": 0]
            if let maximum { node["maximum"] = .number(maximum) }
            return infinite ? anyOf(.object(node), infinity) : .object(node)
        case .duration:
            return pattern(number + "(ns|us|µs|ms|s|m|h)")
        case .size:
            return anyOf(
                .object(["type": "integer", "minimum": 0]), pattern(number + sizeUnit))
        case .bandwidth:
            return pattern(number + sizeUnit + "/s")
        case .fraction:
            return anyOf(
                .object(["type": "number", "exclusiveMinimum": 0, "maximum": 1]),
                .object(["const": false]))
        case .names:
            return anyOf(schema(of: .text), .object(["type": "array", "items": schema(of: .text)]))
        case .namePair:
            return .object([
                "type": "array", "items": schema(of: .text), "minItems": 2, "maxItems": 2,
            ])
        case .resources:
            return .object([
                "type": "object",
                "additionalProperties": .object(["type": "number", "minimum": 0]),
            ])
        case .list(let item):
            return .object(["type": "array", "items": schema(of: item)])
        case .table(let table):
            return .object(["$ref": .string("#/definitions/\(table.name)")])
        case .either(let shapes):
            return .object(["anyOf": .array(shapes.map(schema(of:)))])
        }
    }

    /// A non-negative decimal number, as the unit parsers read it, before its unit.
    private static let number = #"^\s*([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*"#
    private static let sizeUnit = "(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)"
    private static let infinity = SchemaNode.object(["enum": ["inf", ".inf", "infinity"]])

    private static func pattern(_ expression: String) -> SchemaNode {
        .object(["type": "string", "pattern": .string(expression + #"\s*$"#)])
    }

    private static func anyOf(_ first: SchemaNode, _ second: SchemaNode) -> SchemaNode {
        .object(["anyOf": .array([first, second])])
    }
}

/// A JSON value of the schema.
enum SchemaNode: Encodable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral
{
    case string(String)
    case number(Double)
    case boolean(Bool)
    case array([SchemaNode])
    case object([String: SchemaNode])

    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .boolean(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(arrayLiteral elements: SchemaNode...) { self = .array(elements) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value):
            // Whole numbers as integers, as a schema writes bounds.
            if let whole = Int64(exactly: value) {
                try container.encode(whole)
            } else {
                try container.encode(value)
            }
        case .boolean(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }
}
