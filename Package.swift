// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Linux only: the roles call Glibc directly (signals, files, threads).
let package = Package(
    name: "ScatterGather",
    products: [
        .executable(name: "ventilator", targets: ["VentilatorCommand"]),
        .executable(name: "worker", targets: ["WorkerCommand"]),
        .executable(name: "sink", targets: ["SinkCommand"]),
        .executable(name: "keygen", targets: ["KeygenCommand"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "PipelineCore", targets: ["PipelineCore"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "Kernels", targets: ["Kernels"]),
        // Build a worker with your own kernels: `ScatterGatherWorker.main(adding: [MyKernel.self])`.
        .library(name: "ScatterGatherWorker", targets: ["ScatterGatherWorker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        // The only module that touches libzmq.
        .target(name: "ZeroMQ", dependencies: ["CZMQ"], swiftSettings: strict),
        // Message layouts; knows nothing of sockets.
        .target(name: "Wire", swiftSettings: strict),
        .systemLibrary(
            name: "CPrimesieve",
            pkgConfig: "primesieve",
            providers: [.apt(["libprimesieve-dev"])]
        ),
        // The built-in kernels; `primes` sieves with libprimesieve.
        .target(name: "Kernels", dependencies: ["CPrimesieve"], swiftSettings: strict),
        // Decisions apart from IO: dispatch, redelivery, aggregation, the journal's records. No sockets, files or clocks
        // of its own; unit-tested with plain values.
        .target(name: "PipelineCore", dependencies: ["Wire", "Kernels"], swiftSettings: strict),
        // The roles: socket loops, the journal's file, CURVE; they move bytes and time into the core's decisions.
        .target(
            name: "Pipeline",
            dependencies: ["PipelineCore", "ZeroMQ", "Wire", "Kernels", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Reports for people and programs: text, JSON, progress lines.
        .target(name: "Reporting", dependencies: ["PipelineCore", "Wire", "Kernels"], swiftSettings: strict),
        // Prometheus metrics served over HTTP from the roles' own loops.
        .target(
            name: "Monitoring",
            dependencies: [
                "PipelineCore", "Pipeline", "Reporting", "Wire", "ZeroMQ",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // glibc's mallopt, for the roles' heap tuning at start.
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "CommandSupport",
            dependencies: [
                "CMalloc", "PipelineCore", "Pipeline", "Reporting", "Wire", "ZeroMQ", "Monitoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "VentilatorCommand", dependencies: ["CommandSupport"], path: "Sources/Ventilator", swiftSettings: strict),
        // The worker as a library: every option of the `worker` command, plus the kernels its caller adds.
        .target(
            name: "ScatterGatherWorker",
            dependencies: [
                "CommandSupport", "Kernels", "Pipeline", "PipelineCore", "Wire", "ZeroMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "WorkerCommand", dependencies: ["ScatterGatherWorker"], path: "Sources/Worker", swiftSettings: strict),
        .executableTarget(
            name: "SinkCommand", dependencies: ["CommandSupport"], path: "Sources/Sink", swiftSettings: strict),
        .target(name: "TestSupport", dependencies: ["ZeroMQ", "Wire"], path: "Tests/TestSupport", swiftSettings: strict),
        .executableTarget(
            name: "KeygenCommand", dependencies: ["CommandSupport"], path: "Sources/Keygen", swiftSettings: strict),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "WireTests", dependencies: ["Wire"], swiftSettings: strict),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"], swiftSettings: strict),
        .testTarget(
            name: "PipelineCoreTests", dependencies: ["PipelineCore", "Wire", "Kernels", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "PipelineCore", "Reporting", "ZeroMQ", "Wire", "Kernels", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "ReportingTests", dependencies: ["Reporting", "PipelineCore", "Wire", "Kernels"], swiftSettings: strict),
        .testTarget(
            name: "MonitoringTests", dependencies: ["Monitoring", "Pipeline", "PipelineCore", "ZeroMQ", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "CommandSupportTests", dependencies: ["CommandSupport"], swiftSettings: strict),
        // Kernels/ holds the programs the command-kernel tests run, Peers/ the raw peers of others: not Swift sources.
        .testTarget(
            name: "EndToEndTests", dependencies: ["Wire", "ZeroMQ", "TestSupport"], exclude: ["Kernels", "Peers"],
            swiftSettings: strict),
    ]
)
