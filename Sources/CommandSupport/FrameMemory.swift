import CMalloc

/// Keeps the heap memory of freed frames for the next ones, and faults in the first few MiB of it at start.
///
/// Each role allocates and frees a frame of up to 128 KiB hundreds of thousands of times a job (libzmq allocates every
/// received message; a result frame of 2048 tasks is 82 KB). With glibc's defaults the top of the heap is returned to
/// the kernel whenever 128 KiB of it are free, and the next frame faults its pages back in: 13,300 page faults in the
/// sink for 5·10^6 one-element tasks, about a fifth of its CPU. Keeping up to 4 MiB free (and growing the heap 1 MiB
/// at a time) took that to 1,700, and the sink's CPU from 300-360 ms to 275-320 ms; the workers' from 230 to 190 ms.
/// Frames stay below the mmap threshold, so they are always served from the heap.
///
/// One arena for all threads, and 1 MiB of it touched and freed before any job: libzmq's I/O thread allocates the
/// messages it receives, and in an arena of its own it faulted each page in during the first job a worker served. With
/// 300 idle workers on 2 cores, their first job took 58,000 page faults (about 190 a worker); now 3,000.
func keepFrameMemory() {
    _ = mallopt(M_TRIM_THRESHOLD, 4 << 20)
    _ = mallopt(M_TOP_PAD, 1 << 20)
    _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
    _ = mallopt(M_ARENA_MAX, 1)
    // Chunks below the mmap threshold, so that they come from the heap and stay there once freed.
    let chunkSize = 128 << 10
    var chunks: [UnsafeMutableRawPointer] = []
    for _ in 0..<8 {
        guard let chunk = malloc(chunkSize) else { break }
        chunk.initializeMemory(as: UInt8.self, repeating: 0, count: chunkSize)
        chunks.append(chunk)
    }
    for chunk in chunks.reversed() { free(chunk) }
}
