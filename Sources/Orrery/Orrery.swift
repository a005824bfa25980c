// The one module to import for writing scheduler tests in Swift: everything public in the
// package, plus a small facade for the common case (load a scenario, run it with a policy and
// a seed, assert on the result, its figures and its trace hash).
@_exported import Cluster
@_exported import Futures
@_exported import Reports
@_exported import Scenarios
@_exported import Scheduling
@_exported import Simulation
@_exported import ThreadExecutor
