import Cluster
import Foundation
import Scenarios
import Scheduling

/// Everything a report shows about one run, with names instead of ids: what `trace.jsonl`
/// holds, so any report can be rendered again from that file alone.
public struct RunRecord: Sendable, Equatable {
    public struct Header: Codable, Sendable, Equatable {
        public var scenario: String
        public var file: String
        public var seed: UInt64
        public var mode: String
        public var policy: String
        public var traceHash: String
        public var replay: String
        public var passed: Bool
        public var wallSeconds: Double
        public var events: Int
        public var workers: [Worker]
        public var expectations: [Expectation]
        public var invariantViolations: [String]
        public var hang: [String]
        /// Why the run was stopped before it settled, if it was (absent from older records).
        public var stopped: String?
        /// Final status of each task's future, by key.
        public var finalStates: [String: String]

        public struct Worker: Codable, Sendable, Equatable {
            public var name: String
            public var threads: Int

            public init(name: String, threads: Int) {
                self.name = name
                self.threads = threads
            }
        }

        public struct Expectation: Codable, Sendable, Equatable {
            public var expectation: String
            public var ok: Bool
            public var detail: String

            public init(expectation: String, ok: Bool, detail: String) {
                self.expectation = expectation
                self.ok = ok
                self.detail = detail
            }
        }

        public init(
            scenario: String, file: String, seed: UInt64, mode: String, policy: String,
            traceHash: String, replay: String, passed: Bool, wallSeconds: Double, events: Int,
            workers: [Worker], expectations: [Expectation], invariantViolations: [String],
            hang: [String], stopped: String? = nil, finalStates: [String: String]
        ) {
            self.scenario = scenario
            self.file = file
            self.seed = seed
            self.mode = mode
            self.policy = policy
            self.traceHash = traceHash
            self.replay = replay
            self.passed = passed
            self.wallSeconds = wallSeconds
            self.events = events
            self.workers = workers
            self.expectations = expectations
            self.invariantViolations = invariantViolations
            self.hang = hang
            self.stopped = stopped
            self.finalStates = finalStates
        }

        enum CodingKeys: String, CodingKey {
            case scenario, file, seed, mode, policy, replay, passed, events, workers, expectations,
                hang, stopped
            case traceHash = "trace_hash"
            case wallSeconds = "wall_s"
            case invariantViolations = "invariant_violations"
            case finalStates = "final_states"
        }
    }

    /// One trace event: a trace record by name, as `trace.jsonl` holds it.
    public typealias Event = TraceEntry

    public var header: Header
    public var events: [Event]

    public init(header: Header, events: [Event]) {
        self.header = header
        self.events = events
    }

    /// The record of a run on either backend.
    public init(result: RunResult, cluster: some TracedCluster, finalStates: [String: String]) {
        let scheduler = cluster.scheduler
        var workers: [Header.Worker] = []
        for index in 0..<scheduler.workerCount {
            let worker = WorkerID(index)
            workers.append(
                Header.Worker(
                    name: scheduler.name(of: worker), threads: scheduler.threads(of: worker)))
        }
        self.init(
            header: Header(
                scenario: result.scenario, file: result.file, seed: result.seed, mode: result.mode,
                policy: result.policy, traceHash: result.traceHash, replay: result.replayCommand,
                passed: result.passed, wallSeconds: result.wallSeconds, events: result.events,
                workers: workers,
                expectations: result.expectations.map {
                    Header.Expectation(expectation: $0.expectation, ok: $0.ok, detail: $0.detail)
                },
                invariantViolations: result.invariantViolations, hang: result.hang,
                stopped: result.stopped, finalStates: finalStates),
            events: scheduler.entries(of: cluster.traceRecords))
    }

    // MARK: trace.jsonl

    /// The header line, then one event a line; keys sorted, so equal runs give equal files.
    public func jsonLines() throws -> String {
        let encoder = jsonEncoder()
        var lines = [try encoder.text(header)]
        lines.reserveCapacity(events.count + 1)
        for event in events {
            lines.append(try encoder.text(event))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a `trace.jsonl`.
    public init(jsonLines text: String, file: String) throws {
        let decoder = JSONDecoder()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next() else {
            throw ReportError("\(file): error: the trace is empty")
        }
        do {
            header = try decoder.decode(Header.self, from: Data(first.utf8))
        } catch {
            throw ReportError("\(file):1: error: expected the run header line: \(error)")
        }
        events = []
        var number = 1
        while let line = lines.next() {
            number += 1
            do {
                events.append(try decoder.decode(Event.self, from: Data(line.utf8)))
            } catch {
                throw ReportError("\(file):\(number): error: expected a trace event: \(error)")
            }
        }
    }
}

/// A problem reading or writing a report, already phrased for the user.
public struct ReportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
