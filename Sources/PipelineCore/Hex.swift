/// A worker or job id as 16 hexadecimal digits, as logs and reports show it.
package func hex(_ id: UInt64) -> String {
    let digits = String(id, radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}
