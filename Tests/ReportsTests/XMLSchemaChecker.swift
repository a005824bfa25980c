import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Checks an XML document against an XML Schema written in the plain style of
/// `Schemas/junit.xsd`: global elements, each with an anonymous complex type (or a simple
/// `xs:string` type) whose children are `xs:element ref=…` inside a sequence or choice, and
/// whose attributes are `xs:string`, `xs:int` or `xs:decimal`, optional or required. A schema
/// construct outside that style makes the check fail rather than pass unchecked.
struct XMLSchemaChecker {
    struct Declaration {
        var children: Set<String> = []
        var attributes: [String: (type: String, required: Bool)] = [:]
        var textOnly = false
    }

    private(set) var elements: [String: Declaration] = [:]

    init(schema: Data) throws {
        let reader = SchemaReader()
        let parser = XMLParser(data: schema)
        parser.delegate = reader
        guard parser.parse() else { throw CheckError("the schema is not XML") }
        if let problem = reader.problem { throw CheckError(problem) }
        elements = reader.elements
    }

    /// Every way `document` departs from the schema; empty if it conforms.
    func problems(in document: Data) -> [String] {
        let walker = DocumentWalker(elements: elements)
        let parser = XMLParser(data: document)
        parser.delegate = walker
        guard parser.parse() else { return ["not well-formed XML"] }
        return walker.problems
    }

    struct CheckError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Collects the global element declarations of a schema.
private final class SchemaReader: NSObject, XMLParserDelegate {
    var elements: [String: XMLSchemaChecker.Declaration] = [:]
    var problem: String?
    private var current: String?
    private var depth = 0

    private static let structural: Set<String> = [
        "xs:schema", "xs:complexType", "xs:sequence", "xs:choice",
    ]

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        depth += 1
        switch name {
        case "xs:element" where depth == 2:
            guard let declared = attributes["name"] else {
                problem = "a global element without a name"
                return
            }
            current = declared
            var declaration = XMLSchemaChecker.Declaration()
            if let type = attributes["type"] {
                guard type == "xs:string" else {
                    problem = "element \(declared) has a type the checker does not know: \(type)"
                    return
                }
                declaration.textOnly = true
            }
            elements[declared] = declaration
        case "xs:element":
            guard let current, let reference = attributes["ref"] else {
                problem = "a nested element that is not a reference"
                return
            }
            elements[current]?.children.insert(reference)
        case "xs:attribute":
            guard let current, let attribute = attributes["name"],
                let type = attributes["type"], ["xs:string", "xs:int", "xs:decimal"].contains(type)
            else {
                problem = "an attribute the checker cannot read: \(attributes)"
                return
            }
            elements[current]?.attributes[attribute] = (type, attributes["use"] == "required")
        case _ where Self.structural.contains(name):
            break
        default:
            problem = "a schema construct the checker does not know: \(name)"
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        depth -= 1
    }
}

/// Walks a document, comparing each element with its declaration.
private final class DocumentWalker: NSObject, XMLParserDelegate {
    let elements: [String: XMLSchemaChecker.Declaration]
    var problems: [String] = []
    private var stack: [String] = []

    init(elements: [String: XMLSchemaChecker.Declaration]) {
        self.elements = elements
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        defer { stack.append(name) }
        guard let declaration = elements[name] else {
            problems.append("<\(name)> is not declared")
            return
        }
        if let parent = stack.last, let outer = elements[parent],
            !outer.children.contains(name)
        {
            problems.append("<\(name)> may not appear inside <\(parent)>")
        }
        for (attribute, value) in attributes {
            guard let (type, _) = declaration.attributes[attribute] else {
                problems.append(
                    "<\(name)> has an attribute the schema does not define: \(attribute)")
                continue
            }
            let fits =
                switch type {
                case "xs:int": Int32(value) != nil
                case "xs:decimal": Decimal(string: value) != nil && Double(value) != nil
                default: true
                }
            if !fits { problems.append("<\(name) \(attribute)=\"\(value)\"> is not \(type)") }
        }
        for (attribute, (_, required)) in declaration.attributes
        where required && attributes[attribute] == nil {
            problems.append("<\(name)> lacks its required attribute \(attribute)")
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        stack.removeLast()
    }
}
