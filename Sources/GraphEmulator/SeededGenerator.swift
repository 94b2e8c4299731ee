/// SplitMix64: tiny, fast and fully determined by its seed, so a fault schedule replays exactly
/// when a test or a script passes the same `--seed`.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// True with probability `rate` (clamped to 0...1); a rate of 0 never consumes randomness-dependent outcomes.
    mutating func chance(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        if rate >= 1 { return true }
        return Double.random(in: 0..<1, using: &self) < rate
    }

    mutating func hex(count: Int) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for _ in 0..<count {
            text.append(digits[Int(next() % 16)])
        }
        return text
    }

    /// A random version-4 style GUID in the lower-case 8-4-4-4-12 form Graph uses for object ids.
    mutating func guid() -> String {
        let raw = hex(count: 32)
        let chars = Array(raw)
        func part(_ from: Int, _ to: Int) -> String { String(chars[from..<to]) }
        return "\(part(0, 8))-\(part(8, 12))-4\(part(13, 16))-a\(part(17, 20))-\(part(20, 32))"
    }
}
