internal import CZMQ

/// Every libzmq call that can fail passes through here, so `EINTR` is handled in one place.
///
/// libzmq returns -1 and sets errno on failure. Bad handles are programmer errors and trap;
/// an interrupted call is retried unless the caller wants to see the signal.
@inline(__always)
func valueOrError<I: FixedWidthInteger>(
    retryOnInterrupt: Bool = true,
    _ call: () -> I
) throws(ZMQError) -> I {
    while true {
        let result = call()
        if result != -1 { return result }
        let error = ZMQError.current
        if error == .interrupted && retryOnInterrupt { continue }
        precondition(error.code != CZMQ_ENOTSOCK && error.code != EFAULT, "libzmq: \(error) (a closed or invalid handle)")
        throw error
    }
}

/// Like ``valueOrError(retryOnInterrupt:_:)``, but `nil` when the call would block (`EAGAIN`).
@inline(__always)
func valueOrNilIfWouldBlock<I: FixedWidthInteger>(
    retryOnInterrupt: Bool = true,
    _ call: () -> I
) throws(ZMQError) -> I? {
    do {
        return try valueOrError(retryOnInterrupt: retryOnInterrupt, call)
    } catch {
        if error == .again { return nil }
        throw error
    }
}
