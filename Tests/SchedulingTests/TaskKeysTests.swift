import Scheduling
import Testing

/// Task ids: given by ``TaskKeys`` as clients submit, and taken by the scheduler in whatever
/// order the updates arrive.
@Suite struct TaskKeysTests {
    @Test func keysGetIdsInFirstSeenOrderAndKeepThem() {
        var keys = TaskKeys()
        #expect(keys.intern("a") == TaskID(0))
        #expect(keys.intern("b") == TaskID(1))
        #expect(keys.intern("a") == TaskID(0))
        #expect(keys.id(of: "b") == TaskID(1))
        #expect(keys.id(of: "c") == nil)
        #expect(keys[TaskID(1)] == "b")
        #expect(keys.count == 2)
    }

    /// Thousands of keys, added a few at a time and in one reserved batch: the index grows
    /// and probes past occupied slots, and every key keeps its id. Every other key is a pure
    /// task's (`name-token`), which the table keeps in its compact form.
    @Test func manyKeysKeepTheirIdsAsTheIndexGrows() {
        var keys = TaskKeys()
        let names: [TaskKey] = (0..<5_000).map { index in
            index.isMultiple(of: 2)
                ? "task-\(index % 7)-\(index)"
                : TaskKey(name: "task", token: UInt64(index % 3), UInt64(index))
        }
        for name in names.prefix(3_000) { _ = keys.intern(name) }
        keys.reserve(2_000)
        for name in names.dropFirst(3_000) { _ = keys.intern(name) }
        #expect(keys.count == names.count)
        for (index, name) in names.enumerated() {
            #expect(keys.intern(name) == TaskID(index))
            #expect(keys.id(of: name) == TaskID(index))
            #expect(keys[TaskID(index)] == name)
        }
        #expect(keys.count == names.count)
        #expect(keys.id(of: "task-0-5000") == nil)
        #expect(keys.id(of: "") == nil)
        #expect(TaskKeys().id(of: "a") == nil)
    }

    /// Two clients intern ids 0 and 1, and the second client's update arrives first: the
    /// scheduler holds id 0's place until its own update comes, then runs both.
    @Test func updatesArrivingOutOfIdOrder() {
        let h = Harness()
        let a = h.addWorker("a", threads: 2)
        let first = h.keys.specs([KeyedSpec(key: "x")])
        let second = h.keys.specs([KeyedSpec(key: "y", dependencies: ["x"])])
        let other = ClientID(1)
        h.send(.updateGraph(client: other, tasks: second, wanted: [second[0].id]))
        // y waits on x's id, which the scheduler does not know yet: a lost dependency.
        #expect(h.state("y") == .erred)
        #expect(h.scheduler.count(in: .forgotten) == 1)
        h.send(.updateGraph(client: h.client, tasks: first, wanted: [first[0].id]))
        #expect(h.state("x") == .processing)
        #expect(h.worker(of: "x") == a)
        #expect(h.scheduler.count(in: .forgotten) == 0)
        h.finish("x")
        #expect(h.state("x") == .memory)
    }

    /// A scheduler given the cluster's key table names its tasks from there, as a scheduler
    /// keeping its own copy names them from its updates.
    @Test func aSchedulerReadsKeysInTheTableItIsGiven() {
        final class Table: TaskKeyLookup, @unchecked Sendable {
            var keys = TaskKeys()
            var reads = 0
            func taskKey(of task: TaskID) -> TaskKey {
                reads += 1
                return keys[task]
            }
        }
        let table = Table()
        let specs = table.keys.specs([
            KeyedSpec(key: "x-1"), KeyedSpec(key: "y", dependencies: ["x-1"]),
        ])
        let reading = Scheduler(policy: LocalityPolicy(), keyLookup: table)
        let keeping = Scheduler(policy: LocalityPolicy())
        for scheduler in [reading, keeping] {
            var commands: [SchedulerCommand] = []
            scheduler.handle(
                .updateGraph(client: ClientID(0), tasks: specs, wanted: [specs[1].id]), at: 0,
                into: &commands)
            #expect(scheduler.key(of: specs[0].id) == "x-1")
            #expect(scheduler.key(of: specs[1].id) == "y")
        }
        #expect(table.reads == 2)
    }

    /// A dependency whose key was interned but never submitted is unknown to the scheduler.
    @Test func aDependencyNeverSubmittedIsLost() {
        let h = Harness()
        h.addWorker("a")
        _ = h.ids(["ghost"])
        h.submit([KeyedSpec(key: "y", dependencies: ["ghost"])])
        #expect(h.state("y") == .erred)
        #expect(h.scheduler.failure(of: h.id("y"))?.kind == "LostDependencies")
    }
}
