import Foundation

/// The encoder every JSON the project writes goes through: keys sorted (equal values give
/// equal bytes, whatever a dictionary's order), slashes left as they are; on one line, or
/// indented for files people read; keys as the types name them, or in snake_case.
package func jsonEncoder(pretty: Bool = false, snakeCase: Bool = false) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
        pretty
        ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        : [.sortedKeys, .withoutEscapingSlashes]
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return encoder
}

extension JSONEncoder {
    /// `value` as JSON text.
    package func text(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}
