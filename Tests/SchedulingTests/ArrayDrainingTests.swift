import Testing

@testable import Scheduling

/// Draining a list: moving its elements out one by one, and emptying it with its storage kept.
@Suite struct ArrayDrainingTests {
    final class Box {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    /// A taken element leaves the placeholder behind and no second reference: the list no
    /// longer holds it.
    @Test func takingMovesAnElementOut() {
        let placeholder = Box(-1)
        var list = (0..<4).map(Box.init)
        var taken = list.take(at: 2, leaving: placeholder)
        #expect(taken.value == 2)
        #expect(isKnownUniquelyReferenced(&taken))
        #expect(list.map(\.value) == [0, 1, -1, 3])
        #expect(list[2] === placeholder)
    }

    /// Taking each element in turn hands them over in order.
    @Test func takingEachInTurnKeepsTheOrder() {
        var list = (0..<5).map(Box.init)
        var values: [Int] = []
        for index in list.indices { values.append(list.take(at: index, leaving: Box(-1)).value) }
        #expect(values == [0, 1, 2, 3, 4])
        #expect(list.allSatisfy { $0.value == -1 })
    }

    /// Emptying keeps the storage, for lists of values and of references, short or long.
    @Test(arguments: [3, 100])
    func removingEachKeepsTheStorage(_ count: Int) {
        var values = Array(0..<count)
        var boxes = (0..<count).map(Box.init)
        let (valueRoom, boxRoom) = (values.capacity, boxes.capacity)
        values.removeEach()
        boxes.removeEach()
        #expect(values.isEmpty && boxes.isEmpty)
        #expect(values.capacity == valueRoom && boxes.capacity == boxRoom)
    }
}
