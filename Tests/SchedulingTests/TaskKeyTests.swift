import Scheduling
import Testing

/// ``TaskKey``: a pure task's key kept as its name and its token's words, any other key as it
/// is, and either way equal, hashed, ordered and spelled exactly as its text.
@Suite struct TaskKeyTests {
    static let token = "4c84e3436a83ebfa5204e7eb06274a9c"

    /// Texts at and around the compact form's edges: a token after a name (with dashes of its
    /// own, or not ASCII), and what is not quite one — no name, a zero token, capitals, a
    /// digit too few or too many, no dash, a plain index.
    static let texts = [
        "job-\(token)", "a-b-\(token)", "é-\(token)", "job-00000000000000000000000000000001",
        "-\(token)", "job-00000000000000000000000000000000", "job-4C84E3436A83EBFA5204E7EB06274A9C",
        "job-\(token.dropLast())", "job-\(token)0", "job\(token)", "job-7", "job", "", "x-1-2",
        "job-\(token)-3", "jo-\(token)", "job-ffffffffffffffffffffffffffffffff",
    ]

    @Test(arguments: texts)
    func aKeyIsSpelledAsItsText(_ text: String) {
        let key = TaskKey(text)
        #expect(key.string == text)
        #expect(key.description == text)
        #expect(key.utf8Count == text.utf8.count)
        var bytes: [UInt8] = []
        key.forEachUTF8Byte { bytes.append($0) }
        #expect(bytes == Array(text.utf8))
        #expect(key.groupName == groupName(ofKey: text))
    }

    /// A group name is the key without its trailing parts that are indices (digits) or tokens
    /// (eight or more hexadecimal digits, either case), as dask's `key_split`; a leading dash
    /// or an empty part ends the dropping.
    @Test(arguments: [
        ("load-7", "load"), ("inc-fd088cc0e92f61ee626cb107b7a56cd4", "inc"), ("x", "x"),
        ("x-1-2", "x"), ("rechunk-merge-3-5", "rechunk-merge"), ("a-DEADBEEF", "a"),
        ("a-deadbee", "a-deadbee"), ("a-12ab", "a-12ab"), ("load-1234567g", "load-1234567g"),
        ("-7", "-7"), ("a--7", "a-"), ("job-", "job-"), ("", ""), ("é-1", "é"),
        ("a-7-deadbeef-b", "a-7-deadbeef-b"),
    ])
    func groupNamesDropIndicesAndTokens(_ key: String, _ group: String) {
        #expect(groupName(ofKey: key) == group)
        #expect(TaskKey(key).groupName == group)
        #expect(isIn(TaskKey(key), group))
    }

    /// A key is in its own group and in no other, whether the group is named by a key with a
    /// token or without.
    @Test(arguments: texts)
    func aKeyIsInItsGroupAlone(_ text: String) {
        let key = TaskKey(text)
        #expect(isIn(key, key.groupName))
        // What lets the test of a key's group skip checking the group's own bytes.
        #expect(groupName(ofKey: key.groupName) == key.groupName)
        for other in Self.texts.map({ TaskKey($0).groupName }) where other != key.groupName {
            #expect(!isIn(key, other), "\(text) in \(other)")
        }
        let longer = key.groupName + "x"
        #expect(groupName(ofKey: longer) == longer)
        #expect(!isIn(key, longer))
    }

    /// The byte-level test of a key's group agrees with making the group name, for every
    /// pair of these keys and group names: the keys' own, and names no key here has.
    @Test func aKeyIsInAGroupExactlyWhenItsGroupNameIsIt() {
        let keys =
            Self.texts + [
                "a-1-2", "-7", "a--7", "job-", "x-12345678", "x-1234567", "x-1-deadbeef-9",
                "é-1", "a-DEADBEEF-3", "a-1-b", "ab-1", "a",
            ]
        let names = keys.map(groupName(ofKey:)) + keys + ["", "a-1", "x-1", "jo", "b", "a-"]
        // Only group names are asked about: each is its own group name.
        let groups = Set(names.filter { groupName(ofKey: $0) == $0 })
        for text in keys {
            for group in groups.sorted() {
                #expect(
                    Array(group.utf8).withUnsafeBufferPointer {
                        key(text, isInGroupNamedByUTF8: $0)
                    } == (groupName(ofKey: text) == group),
                    "\(text) in \(group)")
            }
        }
    }

    /// Equal texts make equal keys, however the key was made; different texts never do.
    @Test func keysAreEqualExactlyWhenTheirTextsAre() {
        let keys = Self.texts.map { TaskKey($0) }
        for (first, a) in keys.enumerated() {
            for (second, b) in keys.enumerated() {
                #expect((a == b) == (first == second), "\(a) and \(b)")
            }
            #expect(Set([a, TaskKey(Self.texts[first])]).count == 1)
        }
        let made = TaskKey(name: "job", token: 0x4c84_e343_6a83_ebfa, 0x5204_e7eb_0627_4a9c)
        #expect(made == TaskKey("job-\(Self.token)"))
        #expect(made.hashValue == TaskKey("job-\(Self.token)").hashValue)
        // Without a name or with a zero token, the made key is the text all the same.
        let zeros = String(repeating: "0", count: 15)
        #expect(TaskKey(name: "", token: 1, 2).string == "-\(zeros)1\(zeros)2")
        #expect(TaskKey(name: "", token: 1, 2) == TaskKey("-\(zeros)1\(zeros)2"))
        #expect(TaskKey(name: "job", token: 0, 0).string == "job-\(zeros)0\(zeros)0")
        #expect(TaskKey(name: "job", token: 0, 0) == TaskKey("job-\(zeros)0\(zeros)0"))
    }

    /// Keys order as their texts do (dask's static order breaks ties by key): every pair of
    /// the texts above and of tokens 0–3, 0–3 after four names.
    @Test func keysOrderAsTheirTexts() {
        var texts = Self.texts
        for name in ["job", "jo", "job-1", "a"] {
            for first: UInt64 in 0...3 {
                for second: UInt64 in 0...3 {
                    texts.append(TaskKey(name: name, token: first, second).string)
                }
            }
        }
        let keys = texts.map { TaskKey($0) }
        for (a, first) in zip(keys, texts) {
            for (b, second) in zip(keys, texts) {
                #expect((a < b) == (first < second), "\(a) and \(b)")
            }
        }
    }
}

/// Whether `key` is in the group named `group`, asked as the scheduler asks: with the
/// group name's bytes.
private func isIn(_ key: TaskKey, _ group: String) -> Bool {
    Array(group.utf8).withUnsafeBufferPointer { key.isInGroup(named: group, utf8: $0) }
}
