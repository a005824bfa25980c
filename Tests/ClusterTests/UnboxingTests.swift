import Testing

@testable import Cluster

/// Results and mapped items travel as `any Sendable` and come back as the type they went in
/// as; `unbox` must answer as the language's own `as?` does, on its quick path and off it.
@Suite struct UnboxingTests {
    @Test func aValueOfExactlyTheTypeComesBack() {
        #expect(unbox(42 as any Sendable, as: Int.self) == 42)
        #expect(unbox("forty-two" as any Sendable, as: String.self) == "forty-two")
        #expect(unbox([1, 2, 3] as any Sendable, as: [Int].self) == [1, 2, 3])
    }

    @Test func aValueOfAnotherTypeIsNil() {
        #expect(unbox(42 as any Sendable, as: String.self) == nil)
        #expect(unbox(Int32(42) as any Sendable, as: Int.self) == nil)
    }

    class Base: @unchecked Sendable {}
    final class Derived: Base, @unchecked Sendable {}

    @Test func castsTheQuickPathCannotTakeAnswerAsTheLanguageDoes() {
        let derived = Derived()
        #expect(unbox(derived as any Sendable, as: Base.self) === derived)
        #expect(unbox(Optional(7) as any Sendable, as: Int.self) == 7)
        #expect(unbox(5 as any Sendable, as: (any Sendable).self) as? Int == 5)
    }
}
