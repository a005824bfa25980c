import Foundation

/// Reading a WfFormat document's values as written: a value of the wrong type, out of range,
/// or missing where the format needs it is a ``WfCommonsImporter/Problem`` naming the task
/// and the field, never a default.
struct WfCommonsValues {
    let file: String

    /// The longest runtime a scenario can hold: its nanoseconds must fit in Int64.
    static let longestRuntime = 9.2e9

    func problem(_ message: String) -> WfCommonsImporter.Problem {
        WfCommonsImporter.Problem(description: "\(file): error: \(message)")
    }

    func object(_ value: Any?, _ what: String) throws -> [String: Any] {
        guard let object = value as? [String: Any] else {
            throw problem("\(what): expected an object, found \(describe(value))")
        }
        return object
    }

    func objects(_ value: Any?, _ what: String) throws -> [[String: Any]] {
        guard let list = value as? [Any] else {
            throw problem("\(what): expected a list of objects, found \(describe(value))")
        }
        return try list.enumerated().map { index, item in
            try object(item, "\(what)[\(index)]")
        }
    }

    func string(_ value: Any?, _ what: String) throws -> String {
        guard let text = value as? String else {
            throw problem("\(what): expected a string, found \(describe(value))")
        }
        return text
    }

    /// A list of strings; `nil` when the field is absent.
    func strings(_ value: Any?, _ what: String) throws -> [String]? {
        guard let value else { return nil }
        guard let list = value as? [Any] else {
            throw problem("\(what): expected a list of names, found \(describe(value))")
        }
        return try list.enumerated().map { index, item in
            guard let text = item as? String else {
                throw problem("\(what)[\(index)]: expected a name, found \(describe(item))")
            }
            return text
        }
    }

    /// A number (not a boolean, not a string of digits); `nil` when the field is absent.
    func number(_ value: Any?, _ what: String) throws -> Double? {
        guard let value else { return nil }
        guard let number = value as? NSNumber, !isBoolean(number) else {
            throw problem("\(what): expected a number, found \(describe(value))")
        }
        return number.doubleValue
    }

    /// A runtime in seconds: from 0 to what a scenario can hold.
    func runtime(_ value: Any?, _ what: String) throws -> Double? {
        guard let seconds = try number(value, what) else { return nil }
        guard seconds >= 0, seconds < Self.longestRuntime else {
            throw problem(
                "\(what): expected seconds from 0 to \(Self.longestRuntime), found \(seconds)")
        }
        return seconds
    }

    /// A whole number from `minimum` to Int64's largest; `nil` when the field is absent.
    func whole(_ value: Any?, _ what: String, minimum: Int64) throws -> Int64? {
        guard let value else { return nil }
        guard let number = value as? NSNumber, !isBoolean(number) else {
            throw problem("\(what): expected a whole number, found \(describe(value))")
        }
        // Integers as parsed are read as integers (a double would round the large ones);
        // anything else only if it is whole and in range.
        let whole =
            !(number is NSDecimalNumber) && "silq".contains(String(cString: number.objCType))
            ? number.int64Value : Int64(exactly: number.doubleValue)
        guard let whole, whole >= minimum else {
            throw problem(
                "\(what): expected a whole number from \(minimum) to \(Int64.max), found \(number)"
            )
        }
        return whole
    }

    /// JSON's `true` and `false` arrive as numbers of C type `char`.
    private func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private func describe(_ value: Any?) -> String {
        switch value {
        case nil: "nothing"
        case let text as String: "the string '\(text)'"
        case let number as NSNumber where isBoolean(number): "a boolean"
        case is NSNumber: "a number"
        case is [Any]: "a list"
        case is [String: Any]: "an object"
        default: "null"
        }
    }
}
