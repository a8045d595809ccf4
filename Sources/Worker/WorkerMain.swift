import ScatterGatherWorker

/// The `worker` command: the built-in kernels, and any `--command` kernels.
@main
enum WorkerMain {
    static func main() {
        ScatterGatherWorker.main()
    }
}
