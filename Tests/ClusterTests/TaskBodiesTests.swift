import Cluster
import Scheduling
import Testing

/// Bodies filed by task id from the compact batches messages bring them in.
@Suite struct TaskBodiesTests {
    let scheduler = Scheduler(policy: LocalityPolicy())

    func model(_ size: Int64) -> WorkModel { WorkModel(outputSize: size) }

    func body(_ size: Int64, returning value: Int) -> TaskBody {
        TaskBody(model: model(size)) { _ in value }
    }

    func value(of task: Int, in bodies: TaskBodies) throws -> Int? {
        try bodies.body(of: TaskID(task), in: scheduler)([]) as? Int
    }

    @Test func eachTaskKeepsItsOwnModelAndCodeAcrossBatches() throws {
        var bodies = TaskBodies()
        // Runs of equal models in a batch, and a batch that starts with the model the one
        // before it ended with.
        let first: BodyBatch = [
            body(1, returning: 10), body(1, returning: 11), body(2, returning: 12),
        ]
        bodies.file(first, under: [TaskID(0), TaskID(1), TaskID(2)])
        let second: BodyBatch = [
            body(2, returning: 13), body(3, returning: 14), body(1, returning: 15),
        ]
        // Filed out of order, and past the ids filed so far.
        bodies.file(second, under: [TaskID(5), TaskID(3), TaskID(4)])
        // Batches of one (a single submission's), with the last model filed and another.
        bodies.file([body(1, returning: 16)], under: [TaskID(6)])
        bodies.file([body(4, returning: 17)], under: [TaskID(7)])
        let expected: [(task: Int, size: Int64, value: Int)] = [
            (0, 1, 10), (1, 1, 11), (2, 2, 12), (5, 2, 13), (3, 3, 14), (4, 1, 15), (6, 1, 16),
            (7, 4, 17),
        ]
        for (task, size, value) in expected {
            #expect(bodies.body(of: TaskID(task), in: scheduler).model == model(size))
            #expect(try self.value(of: task, in: bodies) == value)
        }
    }

    @Test func aKeySentAgainTakesItsNewBody() throws {
        var bodies = TaskBodies()
        bodies.file([body(1, returning: 1)], under: [TaskID(0)])
        bodies.file([body(7, returning: 2)], under: [TaskID(0)])
        #expect(bodies.body(of: TaskID(0), in: scheduler).model == model(7))
        #expect(try value(of: 0, in: bodies) == 2)
    }

    @Test func aBatchGivesEachBodyAtItsPosition() throws {
        let batch: BodyBatch = [
            body(1, returning: 30), body(1, returning: 31), body(2, returning: 32),
            body(1, returning: 33),
        ]
        for (position, size, value) in [(0, Int64(1), 30), (1, 1, 31), (2, 2, 32), (3, 1, 33)] {
            #expect(batch[position].model == model(size))
            #expect(try batch[position]([]) as? Int == value)
        }
        // A batch of one holds its body in no list.
        let single: BodyBatch = [body(4, returning: 34)]
        #expect(single[0].model == model(4))
        #expect(try single[0]([]) as? Int == 34)
    }

    @Test func aBatchKeepsTheBodiesAskedForInOrder() throws {
        let batch: BodyBatch = [
            body(1, returning: 20), body(2, returning: 21), body(2, returning: 22),
            body(3, returning: 23),
        ]
        let kept = batch.keeping { $0 != 1 }
        #expect(kept.count == 3)
        var bodies = TaskBodies()
        bodies.file(kept, under: [TaskID(0), TaskID(1), TaskID(2)])
        for (task, size, value) in [(0, Int64(1), 20), (1, 2, 22), (2, 3, 23)] {
            #expect(bodies.body(of: TaskID(task), in: scheduler).model == model(size))
            #expect(try self.value(of: task, in: bodies) == value)
        }
        // A batch of one keeps its body or none.
        let single: BodyBatch = [body(5, returning: 24)]
        #expect(single.keeping { _ in false }.count == 0)
        bodies.file(single.keeping { _ in true }, under: [TaskID(3)])
        #expect(try value(of: 3, in: bodies) == 24)
    }
}
