/// Client requests: graph updates, cancellation, release.
extension Scheduler {
    func updateGraph(client: ClientID, specs: [TaskSpec], wanted: [TaskID]) {
        if let last = lastGenerationBump, now - last <= configuration.fifoTimeout {
            // A burst of submissions shares a generation.
        } else {
            if lastGenerationBump != nil { generation += 1 }
            lastGenerationBump = now
        }
        // Taken from where they wait between updates (moved, so they grow in place).
        var lists = UpdateLists()
        swap(&lists, &updateLists)
        defer {
            lists.empty()
            swap(&lists, &updateLists)
        }
        if specs.count > 1024 {
            // Only for large updates: an exact reservation per small update would reallocate
            // every time.
            tasks.reserveCapacity(tasks.count + specs.count)
            if keyLookup == nil { keys.reserveCapacity(tasks.count + specs.count) }
            // Each new task's first two transitions are commands, and a task sent at once to
            // a free thread has two more: room for them at once, not by doubling (a
            // million-task update's commands are its largest passing cost in memory).
            out.reserveCapacity(out.count + 2 * (specs.count + max(freeSlots, 0)) + 2)
        }
        var graphTasks: [TaskID] = []
        graphTasks.reserveCapacity(specs.count)
        specs.withUnsafeBufferPointer { specs in
            for position in specs.indices {
                let spec = specs.baseAddress! + position
                let task = spec.pointee.id
                graphTasks.append(task)
                if isKnown(task) {
                    guard tasks[task.int].state == .forgotten else { continue }
                    revive(task)
                    // Submitted as a computation now, whatever it was before.
                    tasks[task.int].scattered = false
                    refreshAnnotations(task, from: spec.pointee)
                } else {
                    createTask(spec)
                    lists.created.append(task)
                    lists.createdSpecs.append(Int32(position))
                }
            }
        }
        out.append(.graphAccepted(graphTasks))
        var lostDependencies: [TaskID] = []
        while linkMarks.count < tasks.count { linkMarks.append(-1) }
        for (task, position) in zip(lists.created, lists.createdSpecs) {
            if !link(task, to: specs[Int(position)].dependencies) {
                lostDependencies.append(task)
            }
        }
        if configuration.staticOrder == .dask, lists.created.count > 1 {
            orderAsDask(lists.created)
        }
        // Each task created here took the next sequence number.
        prioritising = (nextSequence - lists.created.count)..<nextSequence
        policy.prioritize(lists.created, in: self)
        prioritising = 0..<0
        for task in lostDependencies {
            tasks[task.int].failure = TaskFailure(
                kind: "LostDependencies", message: "a dependency of this task is unknown")
        }

        for task in wanted where isKnown(task) {
            tasks[task.int].wantedBy.insert(client)
            if tasks[task.int].state == .released {
                lists.toStart.append(task)
            } else {
                reportOutcome(of: task, to: client)
            }
        }
        for task in lostDependencies where tasks[task.int].state == .released {
            recommend(task, .erred)
        }
        // Highest priority last, so it is taken first.
        lists.toStart.sort { tasks[$0.int].priority > tasks[$1.int].priority }
        for task in lists.toStart where tasks[task.int].failure == nil {
            recommend(task, .waiting)
        }
    }

    /// Gives the tasks one graph update created the submission orders they already hold,
    /// rearranged into dask's static order of the graph they make (their dependencies on
    /// earlier tasks left out, as dask's are on data it already has).
    private func orderAsDask(_ created: [TaskID]) {
        var position: [TaskID: Int] = [:]
        position.reserveCapacity(created.count)
        for (index, task) in created.enumerated() { position[task] = index }
        let dependencies = created.map { task in
            tasks[task.int].dependencies.compactMap { position[$0] }
        }
        let order = DaskOrder.order(
            dependencies: dependencies, keys: created.map(taskKey(of:)))
        let sequences = created.map { tasks[$0.int].priority.sequence }
        for (index, task) in created.enumerated() {
            tasks[task.int].priority.sequence = sequences[order[index]]
        }
    }

    /// Tells a client that has just come to want a task how it ended, if it has: finished or
    /// erred (a task still on its way reports when it gets there).
    func reportOutcome(of task: TaskID, to client: ClientID) {
        let news: ClientReport
        switch tasks[task.int].state {
        case .memory: news = .finished
        case .erred: news = .erred(tasks[task.int].failure!)
        default: return
        }
        out.append(.report(news: news, task: task, client: client))
    }

    /// Whether a task was ever submitted or scattered here (else it has no record, or a
    /// placeholder while another client's submission of an earlier id is on its way).
    func isKnown(_ task: TaskID) -> Bool {
        task.int < tasks.count && !tasks[task.int].isPlaceholder
    }

    /// Makes the record of a task submitted for the first time. The spec is read through a
    /// pointer, field by field: a spec handed over whole was copied, its key, dependencies
    /// and rarities retained and released for every task of a graph.
    func createTask(_ spec: UnsafePointer<TaskSpec>) {
        let id = spec.pointee.id
        let group = groupID(of: spec.pointee.key)
        // 32 bits wide (as the spec keeps it), so negating it cannot trap.
        let priority = TaskPriority(
            negatedUser: -spec.pointee.priority, generation: generation,
            sequence: nextSequence)
        nextSequence += 1
        let record = TaskRecord(
            group: group, priority: priority, outputSize: spec.pointee.estimatedOutputSize,
            duration: spec.pointee.estimatedDuration)
        if id.int == tasks.count {
            tasks.append(consume record)
        } else {
            // Ids are given as clients submit, and two clients' updates may arrive in the
            // other order: the ids skipped wait as placeholders.
            let forgotten = Int(SchedulerTaskState.forgotten.rawValue)
            while tasks.count < id.int {
                tasks.append(.placeholder)
                stateCounts[forgotten] += 1
            }
            if id.int == tasks.count {
                tasks.append(consume record)
            } else {
                tasks[id.int] = consume record
                stateCounts[forgotten] -= 1
            }
        }
        if keyLookup == nil {
            if id.int < keys.count {
                keys[id.int] = spec.pointee.key
            } else {
                if id.int > keys.count {
                    keys.append(contentsOf: repeatElement("", count: id.int - keys.count))
                }
                keys.append(spec.pointee.key)
            }
        }
        stateCounts[Int(SchedulerTaskState.released.rawValue)] += 1
        groups[Int(group)].taskCount += 1
        if queuingIsOff { groups[Int(group)].unplaced += 1 }
        // A new record has none of them yet.
        if !spec.pointee.asksForNothingRare { refreshAnnotations(id, from: spec.pointee) }
    }

    /// Restrictions, resources and retries come from the submission that (re)creates a task.
    private func refreshAnnotations(_ task: TaskID, from spec: borrowing TaskSpec) {
        tasks[task.int].retriesLeft = Int32(clamping: spec.retries)
        tasks[task.int].suspicious = 0
        tasks[task.int].looseRestrictions = spec.allowOtherWorkers
        tasks[task.int].restrictions = spec.workers.isEmpty ? [] : spec.workers.map(nameID(for:))
        tasks[task.int].resources =
            spec.resources.isEmpty
            ? []
            : spec.resources.keys.sorted().map { name in
                ResourceAmount(
                    name: name, amount: spec.resources[name]!, id: resourceID(for: name))
            }
    }

    /// Connects a new task to its dependencies; `false` if one is unknown.
    private func link(_ task: TaskID, to inputs: [TaskID]) -> Bool {
        // A root task has nothing to link (reserving room for none still made a list).
        guard !inputs.isEmpty else { return true }
        // The submitted list is kept as it is (shared, not copied) unless an input is dropped:
        // then a list of those kept is made from there on.
        var pruned: [TaskID]?
        var complete = true
        for (position, dependency) in inputs.enumerated() {
            let known = isKnown(dependency)
            // A dependency listed twice counts once.
            guard known, linkMarks[dependency.int] != task.index else {
                if !known { complete = false }
                if pruned == nil { pruned = Array(inputs[..<position]) }
                continue
            }
            linkMarks[dependency.int] = task.index
            pruned?.append(dependency)
            tasks[dependency.int].dependents.append(task)
            tasks[dependency.int].liveDependents += 1
            noteGroupDependency(of: tasks[task.int].group, on: tasks[dependency.int].group)
        }
        tasks[task.int].dependencies = pruned ?? inputs
        return complete
    }

    /// Notes that a task of `group` depends on one of `dependencyGroup`, its own included:
    /// dask's `TaskGroup.dependencies` holds the group itself when its tasks depend on each
    /// other, so a chain's tasks count their own group toward the root-ish limits.
    private func noteGroupDependency(of group: Int32, on dependencyGroup: Int32) {
        let limit = configuration.rootishTaskGroup
        var record = groups[Int(group)]
        guard record.dependencyGroups.count < limit,
            !record.dependencyGroups.contains(dependencyGroup)
        else { return }
        record.dependencyGroups.append(dependencyGroup)
        groups[Int(group)] = record
    }

    private func groupID(of key: TaskKey) -> Int32 {
        // Consecutive tasks mostly share a group: try the last one before making the name.
        if let last = groups.indices.last,
            key.isInGroup(named: groups[last].name, utf8: newestGroupUTF8.buffer)
        {
            return Int32(last)
        }
        let name = key.groupName
        if let id = groupByName[name] { return id }
        let id = Int32(groups.count)
        groups.append(GroupRecord(name: name))
        groupByName[name] = id
        newestGroupUTF8 = OwnedBytes(name.utf8)
        return id
    }

    func nameID(for name: String) -> Int32 {
        if let id = nameIDs[name] { return id }
        let id = Int32(nameIDs.count)
        nameIDs[name] = id
        return id
    }

    func resourceID(for name: String) -> Int {
        if let id = resourceIDs[name] { return id }
        let id = resourceIDs.count
        resourceIDs[name] = id
        return id
    }

    /// dask's `stimulus_cancel`: a key is cancelled (dependents first) when forced or when the
    /// client is its only wanter; the clients that lose it are told.
    func cancel(client: ClientID, tasks cancelled: [TaskID], force: Bool, request: UInt64) {
        var visited = Set<TaskID>()
        for task in cancelled where isKnown(task) {
            cancel(
                task, for: client, force: force, request: request, reason: "cancelled",
                visited: &visited)
        }
    }

    /// Cancels a task for `client` (`nil`: nobody in particular, so only a forced cancel
    /// does anything), its dependents first when forced or when no other client wants it.
    func cancel(
        _ task: TaskID, for client: ClientID?, force: Bool, request: UInt64, reason: String,
        visited: inout Set<TaskID>
    ) {
        guard visited.insert(task).inserted, tasks[task.int].state != .forgotten else {
            return
        }
        var wanters = tasks[task.int].wantedBy
        let sole = client.map { wanters.members.elementsEqual([$0]) } ?? false
        if force || sole || wanters.isEmpty {
            for dependent in tasks[task.int].dependents {
                cancel(
                    dependent, for: client, force: force, request: request, reason: reason,
                    visited: &visited)
            }
        }
        if !force {
            let mine = client.map(wanters.contains) ?? false
            wanters.removeAll()
            if mine, let client { wanters.insert(client) }
        }
        for member in wanters.members {
            out.append(
                .report(
                    news: .cancelled(reason: reason, request: request), task: task, client: member))
            tasks[task.int].wantedBy.remove(member)
        }
        releaseIfUnneeded(task)
    }

    /// The client dropped its last reference: it no longer wants these tasks.
    func release(client: ClientID, tasks released: [TaskID]) {
        for task in released {
            guard isKnown(task), tasks[task.int].wantedBy.contains(client) else { continue }
            tasks[task.int].wantedBy.remove(client)
            releaseIfUnneeded(task)
        }
    }

    /// Sets a task's policy rank (smaller runs first); for policies, while they prioritise.
    /// Ranking a task of an earlier update orders the whole queue afresh (the queue may hold
    /// it), so it is for rare use.
    public func setRank(_ rank: Int64, of task: TaskID) {
        guard tasks[task.int].priority.rank != rank else { return }
        tasks[task.int].priority.rank = rank
        if !prioritising.contains(tasks[task.int].priority.sequence), !queue.isEmpty {
            queue.reorder { tasks[$0.int].priority }
        }
    }
}
