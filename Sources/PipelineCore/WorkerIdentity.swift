/// Worker ids that differ across hosts without any coordination: the shipped unit runs instances 1, 2, … on every
/// host, and the sink must not merge two hosts' worker 1.
public enum WorkerIdentity {
    /// The id of instance `instance` on `host`: the host name's 64-bit FNV-1a hash in the upper 48 bits, and the
    /// instance in the lower 16 (its number when it is one from 0 to 65535, its hash otherwise), so reports show which
    /// instance of which host it is: `worker 7c1e5a90b3d40002` is instance 2 of the host hashed to `7c1e5a90b3d4`.
    public static func id(host: String, instance: String) -> UInt64 {
        let low = UInt16(instance).map(UInt64.init) ?? fnv1a(instance) & 0xFFFF
        let id = fnv1a(host) << 16 | low
        return id == 0 ? 1 : id
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
