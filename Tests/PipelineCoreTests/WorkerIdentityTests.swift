import PipelineCore
import Testing

struct WorkerIdentityTests {
    @Test func instancesOfTwoHostsGetFourDistinctIdsThatShowTheInstance() {
        let ids = ["alpha", "beta"].flatMap { host in ["1", "2"].map { WorkerIdentity.id(host: host, instance: $0) } }
        #expect(Set(ids).count == 4)
        #expect(ids.map { $0 & 0xFFFF } == [1, 2, 1, 2])
        #expect(WorkerIdentity.id(host: "alpha", instance: "1") >> 16 == WorkerIdentity.id(host: "alpha", instance: "2") >> 16)
        #expect(WorkerIdentity.id(host: "alpha", instance: "gpu") != WorkerIdentity.id(host: "alpha", instance: "cpu"))
        #expect(WorkerIdentity.id(host: "alpha", instance: "1") == WorkerIdentity.id(host: "alpha", instance: "1"))
    }
}
