/// A list that keeps its first element inline, the rest in an array: an open cross-check nearly always waits with one
/// candidate and excludes one worker (the second candidate that agrees closes it), and an array for each cost two
/// allocations and two releases per check on the sink's hot path. One inline element, not two, keeps the table of open
/// checks small: the table's entries are moved on every insertion and removal.
package struct InlineList<Element>: RandomAccessCollection, ExpressibleByArrayLiteral {
    private var first: Element?
    private var more: [Element] = []

    package init() {}

    /// A list of one element.
    package init(_ element: Element) {
        first = element
    }

    package init(_ elements: some Sequence<Element>) {
        for element in elements { append(element) }
    }

    package init(arrayLiteral elements: Element...) {
        self.init(elements)
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { first == nil ? 0 : 1 + more.count }

    package subscript(position: Int) -> Element {
        switch position {
        case 0: if let first { return first }
        case 1...: if position - 1 < more.count { return more[position - 1] }
        default: break
        }
        preconditionFailure("element \(position) of a list of \(count)")
    }

    package mutating func append(_ element: Element) {
        if first == nil {
            first = element
        } else {
            more.append(element)
        }
    }

    /// Removes the elements `shouldBeRemoved` picks, keeping the others in order.
    package mutating func removeAll(where shouldBeRemoved: (Element) -> Bool) {
        self = InlineList(filter { !shouldBeRemoved($0) })
    }
}

extension InlineList: Equatable where Element: Equatable {}
extension InlineList: Sendable where Element: Sendable {}
