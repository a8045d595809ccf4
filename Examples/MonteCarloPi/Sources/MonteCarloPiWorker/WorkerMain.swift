import ScatterGatherWorker

/// `mc-pi-worker`: the standard worker (every flag of `worker`), offering `mc-pi` beside the built-in kernels.
@main
enum WorkerMain {
    static func main() {
        ScatterGatherWorker.main(adding: [MonteCarloPi.self])
    }
}
