import Cluster
import Scheduling
import Testing

/// Keys and tokens: the hasher's or the generator's two words in lowercase hexadecimal.
@Suite struct KeyTests {
    @Test func pureKeysAreTheNameAndTheHashersWordsInHex() {
        var hasher = StableHasher()
        hasher.combine("job")
        7.stableHash(into: &hasher)
        // Worked out apart from this code, from the hasher's definition.
        #expect(hasher.token == "4c84e3436a83ebfa5204e7eb06274a9c")
        #expect(hasher.key(named: "job").string == "job-4c84e3436a83ebfa5204e7eb06274a9c")
        #expect(hasher.key(named: "").string == "-4c84e3436a83ebfa5204e7eb06274a9c")
    }

    /// A key folds into a hash exactly as its text, in either of its forms (a task's key
    /// hashes the keys of the futures it takes).
    @Test func aKeyHashesAsItsText() {
        let texts = [
            "job-4c84e3436a83ebfa5204e7eb06274a9c", "job-1", "",
            "-4c84e3436a83ebfa5204e7eb06274a9c",
        ]
        for text in texts {
            var byText = StableHasher()
            byText.combine(text)
            var byKey = StableHasher()
            byKey.combine(TaskKey(text))
            #expect(byKey.value == byText.value, "\(text)")
        }
    }

    /// Each draw becomes 16 digits, leading zeros kept.
    @Test func freshTokensAreTwoDrawsInHex() {
        func padded(_ word: UInt64) -> String {
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        var generator = SeededGenerator(seed: 5)
        var again = generator
        var leadingZeros = 0
        for _ in 0..<2_000 {
            let token = generator.keyToken()
            let first = again.next()
            let second = again.next()
            #expect(token == padded(first) + padded(second))
            if first >> 60 == 0 || second >> 60 == 0 { leadingZeros += 1 }
        }
        #expect(leadingZeros > 0)
    }
}
