/// Identifies a timer scheduled on an ``EventLoop`` so that it can be cancelled.
public struct TimerID: Hashable, Sendable {
    let raw: UInt64
}

/// A binary min-heap of timers ordered by deadline, owned by one event loop.
///
/// Cancellation is lazy: a cancelled id is remembered and its entry skipped
/// when it reaches the top, so cancelling costs O(1) and never searches the heap.
struct TimerHeap {
    struct Entry {
        var deadline: Deadline
        var id: UInt64
        var task: () -> Void
    }

    private var entries: [Entry] = []
    // Ids scheduled and not yet popped; `cancelled` is always a subset of it.
    private var pending: Set<UInt64> = []
    private var cancelled: Set<UInt64> = []
    private var nextID: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }

    /// The earliest deadline still in the heap (possibly of a cancelled timer).
    var nextDeadline: Deadline? { entries.first?.deadline }

    mutating func schedule(at deadline: Deadline, _ task: @escaping () -> Void) -> TimerID {
        nextID &+= 1
        entries.append(Entry(deadline: deadline, id: nextID, task: task))
        pending.insert(nextID)
        siftUp(entries.count - 1)
        return TimerID(raw: nextID)
    }

    mutating func cancel(_ id: TimerID) {
        guard pending.contains(id.raw) else { return }
        cancelled.insert(id.raw)
    }

    /// Removes and returns the task of the earliest live timer whose deadline is at or before `now`.
    mutating func popExpired(now: Deadline) -> (() -> Void)? {
        while let first = entries.first, first.deadline <= now {
            let entry = removeFirst()
            pending.remove(entry.id)
            if cancelled.remove(entry.id) != nil { continue }
            return entry.task
        }
        return nil
    }

    private mutating func removeFirst() -> Entry {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return last }
        let first = entries[0]
        entries[0] = last
        siftDown(0)
        return first
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { return }
            let right = left + 1
            var smallest = left
            if right < entries.count && entries[right].deadline < entries[left].deadline { smallest = right }
            guard entries[smallest].deadline < entries[parent].deadline else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
