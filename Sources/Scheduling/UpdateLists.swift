/// The lists a graph update fills as it goes: the tasks it creates, their positions among
/// its specs, and the wanted tasks it starts. Kept from one update to the next by the
/// scheduler: a program that submits tasks one by one makes an update of each, and making
/// these lists anew cost each update three allocations.
struct UpdateLists {
    var created: [TaskID] = []
    var createdSpecs: [Int32] = []
    var toStart: [TaskID] = []

    /// Empties the lists, keeping their storage unless a large update made it grow (a
    /// million-task update's would be held for nothing).
    mutating func empty() {
        if created.capacity > 4096 || toStart.capacity > 4096 {
            self = UpdateLists()
        } else {
            created.removeEach()
            createdSpecs.removeEach()
            toStart.removeEach()
        }
    }
}
