/// dask's static ordering of a graph (`dask.order.order`): the order in which a single thread
/// would best run the tasks, which dask makes the last part of every task's priority.
///
/// It follows critical paths from the leaves (tasks nothing depends on) back to the roots,
/// runs what they need, and runs the branches that become free along the way once they lead
/// to a reducer that is ready or to a leaf, so results are released early. Ties are broken by
/// dask's sort key: fewer tasks needed in all, fewer direct inputs, fewer roots reached, more
/// dependents at the roots, then the key. Where dask iterates a set, this iterates in the
/// order of the graph's lists, so a graph may get an equivalent order rather than dask's own;
/// a test compares it with orders dask computed.
public struct DaskOrder {
    private let dependencies: [[Int]]
    private let dependents: [[Int]]
    private let keys: [TaskKey]
    private var numNeeded: [Int]
    private let totalDependencies: [Int]
    private let rootsReached: [Int]
    private let maxDependents: [Int]
    private let leavesReached: [[Int]]
    private let isRoot: [Bool]
    private var isLeaf: [Bool]
    private var result: [Int]
    private var next = 0
    private var runnable: [Int] = []
    private var inRunnableHull: [Bool]
    private var inReachableHull: [Bool]
    private var reachableCount = 0
    private var knownPaths: [Int: [[Int]]] = [:]
    private var leafDegree: [Int: Int] = [:]
    private var leavesByDegree: [Int: Set<Int>] = [:]
    private var minLeafDegree: Int
    private var maxLeafDegree: Int
    private var sortedLeaves: [Int] = []

    /// The position of each task in dask's order, for a graph given as each task's inputs
    /// (indices into the same list) and keys. The graph must be acyclic.
    public static func order(dependencies: [[Int]], keys: [TaskKey]) -> [Int] {
        guard !dependencies.isEmpty else { return [] }
        var order = DaskOrder(dependencies: dependencies, keys: keys)
        order.run()
        return order.result
    }

    private init(dependencies: [[Int]], keys: [TaskKey]) {
        let count = dependencies.count
        self.dependencies = dependencies
        self.keys = keys
        var dependents = [[Int]](repeating: [], count: count)
        for (task, inputs) in dependencies.enumerated() {
            for input in inputs { dependents[input].append(task) }
        }
        self.dependents = dependents
        numNeeded = dependencies.map(\.count)
        let order = Self.topological(dependencies, dependents)
        var total = [Int](repeating: 1, count: count)
        for task in order {
            for input in dependencies[task] {
                let (sum, overflow) = total[task].addingReportingOverflow(total[input])
                total[task] = overflow ? .max : sum
            }
        }
        totalDependencies = total
        let roots = Self.reached(order, from: dependencies, dependents)
        rootsReached = roots.sets.map(\.count)
        maxDependents = roots.maxFanOut
        leavesReached = Self.reached(order.reversed(), from: dependents, dependencies).sets
        isRoot = dependencies.map(\.isEmpty)
        isLeaf = dependents.map(\.isEmpty)
        result = [Int](repeating: -1, count: count)
        inRunnableHull = [Bool](repeating: false, count: count)
        inReachableHull = [Bool](repeating: false, count: count)
        minLeafDegree = count
        maxLeafDegree = count
    }

    /// Tasks so that each comes after its inputs.
    private static func topological(_ dependencies: [[Int]], _ dependents: [[Int]]) -> [Int] {
        var needed = dependencies.map(\.count)
        var order = dependencies.indices.filter { needed[$0] == 0 }
        var position = 0
        while position < order.count {
            for dependent in dependents[order[position]] {
                needed[dependent] -= 1
                if needed[dependent] == 0 { order.append(dependent) }
            }
            position += 1
        }
        precondition(order.count == dependencies.count, "the graph has a cycle")
        return order
    }

    /// dask's `_connecting_to_roots`: for each task, the roots among its ancestors (walking
    /// `upward`, taken in `order`), empty for a root itself; and the most dependents any of
    /// those roots has.
    private static func reached(
        _ order: some Sequence<Int>, from upward: [[Int]], _ downward: [[Int]]
    ) -> (sets: [[Int]], maxFanOut: [Int]) {
        var sets = [[Int]](repeating: [], count: upward.count)
        var fanOut = [Int](repeating: 0, count: upward.count)
        for task in order {
            if upward[task].isEmpty {
                sets[task] = [task]
                fanOut[task] = downward[task].count
                continue
            }
            var union: Set<Int> = []
            for parent in upward[task] {
                union.formUnion(sets[parent])
                fanOut[task] = max(fanOut[task], fanOut[parent])
            }
            sets[task] = union.sorted()
        }
        for task in upward.indices where upward[task].isEmpty { sets[task] = [] }
        return (sets, fanOut)
    }

    /// dask's `sort_key` without the key: fewer tasks needed in all, fewer direct inputs,
    /// fewer roots reached, more dependents at the roots.
    private func rank(_ task: Int) -> (Int, Int, Int, Int) {
        (
            totalDependencies[task], dependencies[task].count, rootsReached[task],
            -maxDependents[task]
        )
    }

    /// dask's `sort_key` order: by rank, then by key.
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let (first, second) = (rank(a), rank(b))
        return first < second || (first == second && keys[a] < keys[b])
    }

    private func sortedByKey(_ tasks: some Sequence<Int>) -> [Int] {
        tasks.sorted(by: precedes)
    }

    private func maxByKey(_ tasks: some Sequence<Int>) -> Int? {
        tasks.max(by: precedes)
    }

    private mutating func addToResult(_ first: Int) {
        var pending = [first]
        while let item = pending.popLast() {
            inRunnableHull[item] = false
            setReachable(item, false)
            isLeaf[item] = false
            if result[item] >= 0 { continue }
            result[item] = next
            next += 1
            if isRoot[item] { lowerDegrees(of: item) }
            for dependent in dependents[item] {
                numNeeded[dependent] -= 1
                setReachable(dependent, true)
                if numNeeded[dependent] == 0 {
                    if dependents[item].count == 1 {
                        pending.append(dependent)
                    } else {
                        runnable.append(dependent)
                    }
                }
            }
        }
    }

    private mutating func setReachable(_ task: Int, _ value: Bool) {
        if inReachableHull[task] != value {
            inReachableHull[task] = value
            reachableCount += value ? 1 : -1
        }
    }

    /// A root ran: each leaf it reaches needs one root fewer.
    private mutating func lowerDegrees(of root: Int) {
        for leaf in leavesReached[root] where isLeaf[leaf] && result[leaf] < 0 {
            guard let degree = leafDegree.removeValue(forKey: leaf) else { continue }
            leavesByDegree[degree]?.remove(leaf)
            let lower = degree - 1
            if lower > 0 {
                minLeafDegree = min(minLeafDegree, lower)
                leavesByDegree[lower, default: []].insert(leaf)
                leafDegree[leaf] = lower
            } else if leavesByDegree[degree]?.isEmpty ?? true {
                while minLeafDegree != maxLeafDegree,
                    leavesByDegree[minLeafDegree]?.isEmpty ?? true
                {
                    minLeafDegree += 1
                }
            }
        }
    }

    private mutating func processRunnables() {
        while !runnable.isEmpty {
            var candidates = runnable
            runnable.removeAll()
            while let key = candidates.popLast() {
                if inRunnableHull[key] || result[key] >= 0 { continue }
                if isLeaf[key] {
                    addToResult(key)
                    continue
                }
                var branches: [(splits: Int, path: [Int])] = [(0, [key])]
                var head = 0
                while head < branches.count {
                    var (splits, path) = branches[head]
                    head += 1
                    walk: while true {
                        let current = path.last!
                        inRunnableHull[current] = true
                        let downstream = dependents[current]
                        if downstream.isEmpty {
                            if numNeeded[current] <= 1 {
                                for task in path { addToResult(task) }
                            } else {
                                inRunnableHull[current] = false
                            }
                        } else if path.count == 1 || dependencies[current].count == 1 {
                            if downstream.count > 1 {
                                splits += 1
                                for dependent in sortedByKey(downstream)
                                where dependencies[dependent].count == 1 {
                                    branches.append((splits, path + [dependent]))
                                }
                                break walk
                            }
                            path.append(contentsOf: downstream)
                            continue walk
                        } else if knownPaths[current] != nil {
                            knownPaths[current]!.append(path)
                            inRunnableHull[current] = false
                            if knownPaths[current]!.count >= numNeeded[current] {
                                var pruned = knownPaths.removeValue(forKey: current)!.filter {
                                    result[$0[$0.count - 2]] < 0
                                }
                                if pruned.count < numNeeded[current] {
                                    knownPaths[current] = pruned
                                } else {
                                    if splits > 1 {
                                        branches.append((splits - 1, pruned.flatMap { $0 }))
                                        break walk
                                    }
                                    while !pruned.isEmpty {
                                        let branch = pruned.removeFirst()
                                        for task in branch {
                                            if numNeeded[task] > 0 {
                                                pruned.append(branch)
                                                break
                                            }
                                            addToResult(task)
                                        }
                                    }
                                }
                            }
                        } else if dependencies[current].count > 1, numNeeded[current] <= 1 {
                            for task in path { addToResult(task) }
                        } else {
                            knownPaths[current] = [path]
                            inRunnableHull[current] = false
                        }
                        break walk
                    }
                }
            }
        }
    }

    /// dask's `get_target`: mid-run, the leaf needing the fewest more roots (one the run
    /// already touches if it can); else the next leaf in sort order. `nil` when none is left.
    private mutating func target() -> Int? {
        let allAccessible = minLeafDegree == maxLeafDegree
        if reachableCount > 0, !allAccessible {
            let leaves = leavesByDegree[minLeafDegree] ?? []
            let reachable = leaves.filter { inReachableHull[$0] }
            if let best = (reachable.isEmpty ? leaves : reachable).min(by: precedes) {
                return best
            }
        }
        return sortedLeaves.popLast()
    }

    /// dask's `use_longest_path`: whether to take the most demanding leaf first.
    private func usesLongestPath() -> Bool {
        let roots = isRoot.indices.filter { isRoot[$0] }
        let leaves = isLeaf.indices.filter { isLeaf[$0] }
        guard Double(abs(roots.count - leaves.count)) / Double(roots.count) < 0.8 else {
            return true
        }
        var size = 0
        for root in roots {
            if size == 0 {
                size = leavesReached[root].count
            } else if size != leavesReached[root].count {
                return false
            }
        }
        return true
    }

    private mutating func run() {
        for leaf in isLeaf.indices where isLeaf[leaf] && !isRoot[leaf] {
            let degree = rootsReached[leaf]
            minLeafDegree = min(minLeafDegree, degree)
            maxLeafDegree = max(maxLeafDegree, degree)
            leafDegree[leaf] = degree
            leavesByDegree[degree, default: []].insert(leaf)
        }
        let longest = usesLongestPath()
        sortedLeaves = sortedByKey(isLeaf.indices.filter { isLeaf[$0] })
        if !longest { sortedLeaves.reverse() }
        var path: [Int] = []
        while next < result.count {
            // A. The critical path, from a target back to a root.
            guard let targetTask = target() else { break }
            path.append(targetTask)
            var inputs = dependencies[targetTask]
            while let item = maxByKey(inputs) {
                path.append(item)
                inputs = dependencies[item].filter { result[$0] < 0 }
                path.append(contentsOf: sortedByKey(inputs))
            }
            // B. Walk it.
            var walkedBack = false
            while let item = path.popLast() {
                if result[item] >= 0 { continue }
                if numNeeded[item] > 0 {
                    path.append(item)
                    let missing = sortedByKey(dependencies[item].filter { result[$0] < 0 })
                    let known = missing.filter { knownPaths[$0] != nil }
                    let unknown = missing.filter { knownPaths[$0] == nil }
                    if unknown.count > 1 { walkedBack = true }
                    path.append(contentsOf: unknown)
                    for task in known {
                        for runnablePath in knownPaths.removeValue(forKey: task) ?? [] {
                            path.append(contentsOf: runnablePath.reversed())
                        }
                    }
                    continue
                }
                if walkedBack, runnable.count < path.count { processRunnables() }
                addToResult(item)
            }
            processRunnables()
        }
        // Not expected; should the walk end early, the rest follow in graph order.
        for task in Self.topological(dependencies, dependents) where result[task] < 0 {
            result[task] = next
            next += 1
        }
    }
}
