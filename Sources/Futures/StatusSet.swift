/// A set of statuses, without allocation: the statuses a producer's request may start from.
struct StatusSet: OptionSet, Sendable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ status: FutureStatus) {
        let bit: UInt8 =
            switch status {
            case .pending: 1 << 0
            case .running: 1 << 1
            case .finished: 1 << 2
            case .error: 1 << 3
            case .cancelled: 1 << 4
            case .lost: 1 << 5
            }
        self.init(rawValue: bit)
    }

    /// The status of a set of one.
    var status: FutureStatus {
        switch rawValue {
        case 1 << 0: .pending
        case 1 << 1: .running
        case 1 << 2: .finished
        case 1 << 3: .error
        case 1 << 4: .cancelled
        case 1 << 5: .lost
        default: preconditionFailure("not a single status: \(rawValue)")
        }
    }

    static let pending = StatusSet(.pending)
    static let running = StatusSet(.running)
    static let lost = StatusSet(.lost)
    static let all = StatusSet(rawValue: 0b11_1111)
}
