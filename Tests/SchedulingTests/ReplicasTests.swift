import Testing

@testable import Scheduling

/// ``Replicas``: a task's holders, one kept in line and more in a list, read and changed as
/// the list of them would be.
@Suite struct ReplicasTests {
    /// Random appends and removals leave the holders a plain list would have, in its order,
    /// at every step: count, emptiness, positions, membership and the list handed on.
    @Test(arguments: [1, 2, 3])
    func changesMatchAPlainList(_ seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let workers = (0..<6).map { WorkerID($0) }
        let sole = workers.map { [$0] }
        var replicas = Replicas()
        var reference: [WorkerID] = []
        for _ in 0..<400 {
            let absent = workers.filter { !reference.contains($0) }
            if !absent.isEmpty, reference.isEmpty || random.next() % 3 != 0 {
                let worker = absent[Int(random.next() % UInt64(absent.count))]
                replicas.append(worker)
                reference.append(worker)
            } else {
                let position = Int(random.next() % UInt64(reference.count))
                replicas.remove(at: position)
                reference.remove(at: position)
            }
            #expect(Array(replicas) == reference)
            #expect(replicas.count == reference.count)
            #expect(replicas.isEmpty == reference.isEmpty)
            #expect(replicas.list(sharing: sole) == reference)
            for worker in workers {
                #expect(replicas.contains(worker) == reference.contains(worker))
                #expect(replicas.firstIndex(of: worker) == reference.firstIndex(of: worker))
            }
        }
    }

    /// A single holder is handed on as the list the caller keeps for it, not a new one.
    @Test func aSoleHolderIsHandedOnAsTheSharedList() {
        let sole = (0..<3).map { [WorkerID($0)] }
        var replicas = Replicas()
        replicas.append(WorkerID(2))
        let list = replicas.list(sharing: sole)
        #expect(list == [WorkerID(2)])
        #expect(
            list.withUnsafeBufferPointer { $0.baseAddress }
                == sole[2].withUnsafeBufferPointer { $0.baseAddress })
    }

    /// Removing all empties it, however many it held.
    @Test(arguments: [0, 1, 3])
    func removingAllEmptiesIt(_ count: Int) {
        var replicas = Replicas()
        for index in 0..<count { replicas.append(WorkerID(index)) }
        replicas.removeAll()
        #expect(replicas.isEmpty)
        #expect(Array(replicas) == [])
    }
}
