import Scheduling
import Testing

/// A task's way through the scheduler, event by event.
@Suite struct LifecycleTests {
    @Test func oneTaskRunsAndFinishes() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        #expect(h.state("x") == .processing)
        #expect(h.computes().map(\.worker) == [a])
        let run = h.run(of: "x")
        h.send(.taskStarted(h.id("x"), worker: a, run: run))
        #expect(h.reports["x"] == .running)
        h.finish("x")
        #expect(h.state("x") == .memory)
        #expect(h.reports["x"] == .finished)
        #expect(h.scheduler.replicas(of: h.id("x")) == [a])
    }

    @Test func everyDispatchHasAFreshRunID() {
        let h = Harness()
        h.addWorker("a")
        h.submit("x", "y")
        let runs = h.computes().map(\.run)
        #expect(Set(runs).count == 2)
        h.fail("x")  // no retries: erred
        #expect(h.state("x") == .erred)
    }

    @Test func aChainRunsInOrderWithInputLocations() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit([KeyedSpec(key: "x"), KeyedSpec(key: "y", dependencies: ["x"])])
        #expect(h.computedKeys == ["x"])
        #expect(h.state("y") == .waiting)
        h.finish("x", size: 4096)
        #expect(h.computedKeys == ["y"])
        let input = h.computes()[0].inputs
        #expect(input == [ComputeRequest.Input(task: h.id("x"), holders: [a], size: 4096)])
    }

    @Test func dependenciesMayComeAfterDependentsInOneUpdate() {
        let h = Harness()
        h.addWorker("a")
        h.submit([KeyedSpec(key: "y", dependencies: ["x"]), KeyedSpec(key: "x")])
        #expect(h.computedKeys == ["x"])
    }

    /// Pure keys: an existing key is not computed again; one in memory is reported finished.
    @Test func resubmittingAKeyRunsNothingTwice() {
        let h = Harness()
        h.addWorker("a")
        h.submit("x")
        h.submit("x")
        #expect(h.computes().isEmpty)
        h.finish("x")
        h.submit("x")
        #expect(h.computes().isEmpty)
        #expect(h.reports["x"] == .finished)
    }

    /// A dependency listed twice is one dependency: listed once among the task's inputs and
    /// once among its dependents, wherever the repetition comes in the list.
    @Test func aDependencyListedTwiceCountsOnce() {
        let h = Harness()
        h.addWorker("a")
        h.submit([
            KeyedSpec(key: "x"), KeyedSpec(key: "w"),
            KeyedSpec(key: "y", dependencies: ["x", "w"]),
            KeyedSpec(key: "z", dependencies: ["y", "x", "y", "w"]),
        ])
        #expect(h.scheduler.dependencies(of: h.id("y")) == [h.id("x"), h.id("w")])
        #expect(
            h.scheduler.dependencies(of: h.id("z")) == [h.id("y"), h.id("x"), h.id("w")])
        #expect(h.scheduler.dependents(of: h.id("x")) == [h.id("y"), h.id("z")])
        #expect(h.scheduler.dependents(of: h.id("y")) == [h.id("z")])
    }

    @Test func anUnknownDependencyErrs() {
        let h = Harness()
        h.addWorker("a")
        h.submit([KeyedSpec(key: "y", dependencies: ["nowhere"])])
        #expect(h.state("y") == .erred)
        #expect(h.scheduler.failure(of: h.id("y"))?.kind == "LostDependencies")
    }

    /// Dependents of an erred task err with its failure, without running.
    @Test func errorsPropagateToDependents() {
        let h = Harness()
        h.addWorker("a")
        h.submit([
            KeyedSpec(key: "x"), KeyedSpec(key: "y", dependencies: ["x"]),
            KeyedSpec(key: "z", dependencies: ["y"]),
        ])
        h.fail("x", .boom)
        #expect(h.computes(in: h.log).map { h.scheduler.key(of: $0.task) } == ["x"])
        for key in ["x", "y", "z"] {
            #expect(h.state(key) == .erred)
            #expect(h.scheduler.failure(of: h.id(key)) == .boom)
            #expect(h.reports[key] == .erred(.boom))
        }
        // A later dependent of the erred task errs at once.
        h.submit([KeyedSpec(key: "w", dependencies: ["x"])])
        #expect(h.state("w") == .erred)
        #expect(h.computes().isEmpty)
    }

    @Test func retriesRerunATaskThatRaised() {
        let h = Harness()
        h.addWorker("a")
        h.submit([KeyedSpec(key: "x", retries: 2)])
        h.fail("x")
        #expect(h.state("x") == .processing)
        #expect(h.reports["x"] == .pending)
        h.fail("x")
        #expect(h.state("x") == .processing)
        h.fail("x")
        #expect(h.state("x") == .erred)
        #expect(h.computes(in: h.log).count == 3)
    }

    @Test func releasedResultsAreFreedAndForgotten() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit([KeyedSpec(key: "x"), KeyedSpec(key: "y", dependencies: ["x"])], wanted: ["y"])
        h.finish("x")
        h.finish("y")
        // Nothing needs x once y is in memory: its data is freed.
        #expect(h.state("x") == .released)
        #expect(h.freedKeys(on: a) == ["x"])
        h.send(.release(client: h.client, tasks: h.ids(["y"])))
        #expect(h.state("y") == .forgotten)
        #expect(h.state("x") == .forgotten)
        // The key can be submitted again: a new incarnation computes it again.
        h.submit([KeyedSpec(key: "x"), KeyedSpec(key: "y", dependencies: ["x"])], wanted: ["y"])
        #expect(h.computedKeys == ["x"])
        #expect(h.scheduler.incarnation(of: h.id("y")) == 1)
    }

    @Test func higherPriorityIsDispatchedFirst() {
        let h = Harness()
        h.addWorker("a")
        h.submit([
            KeyedSpec(key: "low", priority: 0), KeyedSpec(key: "high", priority: 10),
            KeyedSpec(key: "mid", priority: 5),
        ])
        #expect(h.computedKeys == ["high", "mid", "low"])
        let priorities = h.computes().map(\.priority)
        #expect(priorities == priorities.sorted())
    }

    /// Priorities beyond 32 bits are clamped to them: the highest still runs first.
    @Test func extremePrioritiesAreClamped() {
        let h = Harness()
        h.addWorker("a")
        h.submit([
            KeyedSpec(key: "low", priority: .min), KeyedSpec(key: "top", priority: .max),
            KeyedSpec(key: "high", priority: Int(Int32.max)), KeyedSpec(key: "zero", priority: 0),
        ])
        #expect(h.computedKeys == ["top", "high", "zero", "low"])
        #expect(h.scheduler.priority(of: h.id("top")).negatedUser == -Int(Int32.max))
        #expect(h.scheduler.priority(of: h.id("low")).negatedUser == Int(Int32.max))
        #expect(h.scheduler.priority(of: h.id("high")).negatedUser == -Int(Int32.max))
    }

    @Test func submissionsFarApartGetNewGenerations() {
        let h = Harness()
        h.addWorker("a")
        h.submit("x")
        h.now = 50_000_000
        h.submit("y")
        h.now = 300_000_000
        h.submit("z")
        let generations = ["x", "y", "z"].map { h.scheduler.priority(of: h.id($0)).generation }
        #expect(generations == [0, 0, 1])
    }
}
