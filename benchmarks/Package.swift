// swift-tools-version: 6.0
// Benchmark programs, kept out of the main package so `swift test` and CI never build them.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between clones.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "ScatterGatherBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        // Raw libzmq single-hop PUSH→PULL throughput: the messaging ceiling.
        .executableTarget(
            name: "zmq-probe", dependencies: [.product(name: "ZeroMQ", package: root)], path: "Sources/ZMQProbe",
            swiftSettings: settings),
        // A kernel over a range in one process with no messaging: the baseline for speedup.
        .executableTarget(
            name: "kernel-baseline",
            dependencies: [.product(name: "Kernels", package: root), .product(name: "Wire", package: root)],
            path: "Sources/KernelBaseline", swiftSettings: settings),
        // The batched native C pipeline (ventilator, W worker processes, sink; 1024 tasks a frame, no acknowledgements):
        // what libzmq and the machine allow for ScatterGather's shape.
        .executableTarget(
            name: "c-pipeline", path: "Sources/CPipeline", cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [.linkedLibrary("zmq")]),
        // Codec and kernel microbenchmarks.
        .executableTarget(
            name: "microbenchmarks",
            dependencies: [.product(name: "Kernels", package: root), .product(name: "Wire", package: root)],
            path: "Sources/Microbenchmarks", swiftSettings: settings),
    ]
)
