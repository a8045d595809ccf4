public import ArgumentParser
public import Logging

// Neither package can declare this conformance, and the commands need it: retroactive on purpose.
// swift-format-ignore: AvoidRetroactiveConformances
extension Logger.Level: @retroactive ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument)
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension Duration {
    /// Parses a `--timeout`-style number of seconds.
    public static func seconds(argument: Double) -> Duration {
        .milliseconds(Int64((argument * 1000).rounded()))
    }
}
