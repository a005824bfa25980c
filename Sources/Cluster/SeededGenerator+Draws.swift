import Scheduling

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `exp` and `log` under names of their own, for the duration models (which also have
/// distributions called exponential and log-normal).
func naturalExp(_ x: Double) -> Double { exp(x) }
func naturalLog(_ x: Double) -> Double { log(x) }

/// Draws from a seeded stream: the uniform and normal numbers the duration models and the
/// fault draws are made of.
extension SeededGenerator {
    /// Uniform in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal (Box–Muller, one of the pair).
    public mutating func standardNormal() -> Double {
        let u = max(unit(), 0x1.0p-53)
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
