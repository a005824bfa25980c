import Scheduling
import Yams

/// Graph generators that stand in for long `tasks:` lists.
extension Reading {
    mutating func generate(_ node: Node, at path: String) throws(ScenarioError) {
        let outer = try reader.fields(node, at: path, table: ScenarioFormat.generator)
        guard outer.entries.count == 1, let (kind, _, body) = outer.entries.first else {
            throw reader.error(
                node,
                "expected one generator: \(ScenarioFormat.generator.names.joined(separator: ", "))",
                at: path
            )
        }
        let at = outer.path(kind)
        let table = ScenarioFormat.generators.first { $0.name == kind }!
        let fields = try reader.fields(body, at: at, table: table)
        let prefix = try fields.optional("prefix", reader.string) ?? kind
        let duration =
            try fields.optional("duration") { node, path throws(ScenarioError) in
                try durationModel(node, at: path)
            } ?? .fixed(0)
        let output = try fields.optional("output", reader.size) ?? 8
        func count(_ key: String, minimum: Int = 1) throws(ScenarioError) -> Int {
            try reader.int(
                try fields.required(key), at: fields.path(key), minimum: minimum,
                maximum: NodeReader.largestFamily)
        }
        var generated: [ScenarioTask] = []
        func task(_ key: String, _ dependencies: [String]) {
            generated.append(
                ScenarioTask(
                    key: key, dependencies: dependencies, duration: duration, outputSize: output))
        }
        switch kind {
        case "chain":
            let length = try count("length")
            for index in 0..<length {
                task("\(prefix)-\(index)", index == 0 ? [] : ["\(prefix)-\(index - 1)"])
            }
        case "fan_out_fan_in":
            let width = try count("width")
            task("\(prefix)-source", [])
            for index in 0..<width { task("\(prefix)-\(index)", ["\(prefix)-source"]) }
            task("\(prefix)-sink", (0..<width).map { "\(prefix)-\($0)" })
        case "tree_reduction":
            let leaves = try count("leaves")
            let fanIn =
                try fields.optional("fan_in") { node, path throws(ScenarioError) in
                    try reader.int(node, at: path, minimum: 2)
                } ?? 2
            var level = (0..<leaves).map { "\(prefix)-leaf-\($0)" }
            for key in level { task(key, []) }
            var depth = 0
            while level.count > 1 {
                depth += 1
                var next: [String] = []
                for start in stride(from: 0, to: level.count, by: fanIn) {
                    let key = "\(prefix)-l\(depth)-\(next.count)"
                    task(key, Array(level[start..<min(start + fanIn, level.count)]))
                    next.append(key)
                }
                level = next
            }
        case "map_shuffle_reduce":
            let maps = try count("maps")
            let reduces = try count("reduces")
            guard maps * reduces <= NodeReader.largestFamily else {
                throw reader.error(
                    body, "maps × reduces must be at most \(NodeReader.largestFamily)", at: at)
            }
            for index in 0..<maps { task("\(prefix)-map-\(index)", []) }
            for index in 0..<reduces {
                task("\(prefix)-reduce-\(index)", (0..<maps).map { "\(prefix)-map-\($0)" })
            }
        default:
            let size = try count("size")
            let width =
                try fields.optional("width") { node, path throws(ScenarioError) in
                    try reader.int(node, at: path, minimum: 1)
                } ?? max(1, size / 10)
            let density = try fields.optional("density", reader.double) ?? 0.2
            guard (0...1).contains(density) else {
                throw reader.error(
                    fields["density"], "expected a density between 0 and 1",
                    at: fields.path("density"))
            }
            var random = SeededGenerator(
                seed: UInt64(
                    try fields.optional("seed") { node, path throws(ScenarioError) in
                        try reader.int(node, at: path, minimum: 0)
                    } ?? 1))
            // Tasks in layers of `width`; each may depend on tasks of the layers before it.
            for index in 0..<size {
                let layerStart = (index / width) * width
                var dependencies: [String] = []
                if layerStart > 0 {
                    let window = max(0, layerStart - 2 * width)..<layerStart
                    for candidate in window where random.unit() < density / 2 {
                        dependencies.append("\(prefix)-\(candidate)")
                    }
                }
                task("\(prefix)-\(index)", dependencies)
            }
        }
        for member in generated { try add(member, node: body, at: at) }
        try addFamily(prefix, generated.map(\.key), node: body, at: at)
    }
}
