// swift-tools-version: 6.0
import PackageDescription

// A worker with a kernel of its own, built outside the ScatterGather repository: it depends on ScatterGather (here by
// path; in your project, by its git URL) and links the `ScatterGatherWorker` library.
let package = Package(
    name: "MonteCarloPi",
    products: [
        .executable(name: "mc-pi-worker", targets: ["MonteCarloPiWorker"])
    ],
    dependencies: [
        .package(name: "ScatterGather", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "MonteCarloPiWorker",
            dependencies: [.product(name: "ScatterGatherWorker", package: "ScatterGather")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
