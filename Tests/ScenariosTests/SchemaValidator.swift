import Foundation

/// A JSON Schema (draft-07) validator for the keywords the scenario schema uses: `$ref`,
/// `type`, `properties`, `additionalProperties`, `required`, `enum`, `const`, `pattern`,
/// `minimum`, `maximum`, `exclusiveMinimum`, `minLength`, `items`, `minItems`, `maxItems`,
/// `anyOf` and `oneOf`. A keyword it does not know fails validation rather than passing
/// unchecked. Values are what YAML's core schema makes of a document (`Yams.load`).
struct SchemaValidator {
    let root: [String: Any]

    private static let known: Set<String> = [
        "$ref", "$schema", "title", "description", "definitions", "type", "properties",
        "additionalProperties", "required", "enum", "const", "pattern", "minimum", "maximum",
        "exclusiveMinimum", "minLength", "items", "minItems", "maxItems", "anyOf", "oneOf",
    ]

    /// The problems of `value` against the root schema, each with its path; empty if valid.
    func problems(_ value: Any) -> [String] {
        problems(value, against: root, at: "")
    }

    private func problems(_ value: Any, against schema: [String: Any], at path: String)
        -> [String]
    {
        if let unknown = schema.keys.first(where: { !Self.known.contains($0) }) {
            return ["\(path): the validator does not know '\(unknown)'"]
        }
        if let reference = schema["$ref"] as? String {
            let name = String(reference.dropFirst("#/definitions/".count))
            guard let definitions = root["definitions"] as? [String: Any],
                let target = definitions[name] as? [String: Any]
            else { return ["\(path): no definition \(reference)"] }
            return problems(value, against: target, at: path)
        }
        var found: [String] = []
        if let types = schema["type"] {
            let names = (types as? [String]) ?? [types as! String]
            if !names.contains(where: { Self.value(value, is: $0) }) {
                return ["\(path): expected \(names.joined(separator: " or ")), found \(value)"]
            }
        }
        if let choices = schema["enum"] as? [Any],
            !choices.contains(where: { Self.equal($0, value) })
        {
            found.append("\(path): \(value) is not one of \(choices)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            found.append("\(path): expected \(constant)")
        }
        if let text = value as? String {
            if let pattern = schema["pattern"] as? String,
                text.range(of: pattern, options: .regularExpression) == nil
            {
                found.append("\(path): '\(text)' does not match \(pattern)")
            }
            if let least = schema["minLength"] as? Int, text.count < least {
                found.append("\(path): shorter than \(least)")
            }
        }
        if let number = Self.number(value) {
            if let minimum = Self.number(schema["minimum"] as Any), number < minimum {
                found.append("\(path): \(number) < \(minimum)")
            }
            if let maximum = Self.number(schema["maximum"] as Any), number > maximum {
                found.append("\(path): \(number) > \(maximum)")
            }
            if let above = Self.number(schema["exclusiveMinimum"] as Any), number <= above {
                found.append("\(path): \(number) ≤ \(above)")
            }
        }
        if let list = value as? [Any] {
            if let least = schema["minItems"] as? Int, list.count < least {
                found.append("\(path): fewer than \(least) items")
            }
            if let most = schema["maxItems"] as? Int, list.count > most {
                found.append("\(path): more than \(most) items")
            }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in list.enumerated() {
                    found += problems(item, against: items, at: "\(path)[\(index)]")
                }
            }
        }
        if let mapping = value as? [AnyHashable: Any] {
            found += objectProblems(mapping, against: schema, at: path)
        }
        if let alternatives = schema["anyOf"] as? [[String: Any]],
            !alternatives.contains(where: { problems(value, against: $0, at: path).isEmpty })
        {
            found.append("\(path): matches none of \(alternatives.count) alternatives")
        }
        if let alternatives = schema["oneOf"] as? [[String: Any]] {
            let matching = alternatives.filter { problems(value, against: $0, at: path).isEmpty }
            if matching.count != 1 {
                found.append("\(path): matches \(matching.count) of oneOf's alternatives, not 1")
            }
        }
        return found
    }

    private func objectProblems(
        _ mapping: [AnyHashable: Any], against schema: [String: Any], at path: String
    ) -> [String] {
        var found: [String] = []
        let properties = schema["properties"] as? [String: Any] ?? [:]
        for name in schema["required"] as? [String] ?? [] where mapping[name] == nil {
            found.append("\(path): missing '\(name)'")
        }
        for (key, member) in mapping {
            let name = "\(key)"
            let at = path.isEmpty ? name : "\(path).\(name)"
            if let property = properties[name] as? [String: Any] {
                found += problems(member, against: property, at: at)
            } else if let extra = schema["additionalProperties"] {
                if let allowed = extra as? Bool {
                    if !allowed { found.append("\(at): not allowed here") }
                } else if let extraSchema = extra as? [String: Any] {
                    found += problems(member, against: extraSchema, at: at)
                }
            }
        }
        return found
    }

    private static func value(_ value: Any, is type: String) -> Bool {
        switch type {
        case "string": value is String
        case "boolean": value is Bool
        case "integer": value is Int
        case "number": (value is Int || value is Double) && !(value is Bool)
        case "array": value is [Any]
        case "object": value is [AnyHashable: Any]
        default: false
        }
    }

    private static func number(_ value: Any) -> Double? {
        if value is Bool { return nil }
        if let whole = value as? Int { return Double(whole) }
        return value as? Double
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? Bool, let b = b as? Bool { return a == b }
        if a is Bool || b is Bool { return false }
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = number(a), let b = number(b) { return a == b }
        return false
    }
}

/// JSON text as plain Swift values (`Bool`, `Int`, `Double`, `String`, arrays, dictionaries),
/// without the number–boolean ambiguity of `NSNumber`.
enum PlainJSON: Decodable {
    case value(Any)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .value(flag)
        } else if let whole = try? container.decode(Int.self) {
            self = .value(whole)
        } else if let number = try? container.decode(Double.self) {
            self = .value(number)
        } else if let text = try? container.decode(String.self) {
            self = .value(text)
        } else if let list = try? container.decode([PlainJSON].self) {
            self = .value(list.map(\.unwrapped))
        } else {
            self = .value(try container.decode([String: PlainJSON].self).mapValues(\.unwrapped))
        }
    }

    var unwrapped: Any {
        switch self {
        case .value(let value): value
        }
    }

    static func parse(_ text: String) throws -> Any {
        try JSONDecoder().decode(PlainJSON.self, from: Data(text.utf8)).unwrapped
    }
}
