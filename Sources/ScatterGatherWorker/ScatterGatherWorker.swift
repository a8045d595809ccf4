import ArgumentParser
import CommandSupport
@_exported public import Kernels

/// A complete worker in one call, with your own kernels beside the built-in ones: every flag, environment
/// variable, CURVE and graceful stop of the `worker` command.
///
/// In your package's executable:
///
/// ```swift
/// import ScatterGatherWorker
///
/// enum MonteCarloPi: Kernel {
///     static let name = "mc-pi"
///     static let summary = "points of a fixed pseudo-random sequence inside the unit circle"
///     static func evaluate(lo: UInt64, hi: UInt64) -> Int128 { ... }
/// }
///
/// @main enum Main {
///     static func main() { ScatterGatherWorker.main(adding: [MonteCarloPi.self]) }
/// }
/// ```
///
/// Then `swift run my-worker --tasks ... --results ...`, and run a job with `ventilator --kernel mc-pi`.
public enum ScatterGatherWorker {
    /// Parses the command line (and `SCATTERGATHER_WORKER_*` variables), runs the worker until SIGINT or SIGTERM,
    /// and exits: 0 after a graceful stop, 1 on a failure, 64 for bad arguments.
    ///
    /// - Parameter kernels: kernels this worker offers besides the built-in ones; each name must be unique.
    public static func main(adding kernels: [any Kernel.Type] = []) -> Never {
        WorkerCommand.main(environment: WorkerCommand.environment) { command in
            try command.options.run(adding: kernels)
        }
    }
}
