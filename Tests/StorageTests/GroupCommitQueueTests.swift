import Synchronization
import Testing

@testable import Storage

@Suite("Group commit")
struct GroupCommitQueueTests {
    /// Records the batches a queue commits.
    final class Recorder: Sendable {
        let batches = Mutex<[[Int]]>([])
    }

    struct Odd: Error {}

    @Test("concurrent callers share commits, and each gets its own result")
    func sharesCommits() async throws {
        let recorder = Recorder()
        let queue = GroupCommitQueue<Int, Int>(maxBatch: 16) { items in
            recorder.batches.withLock { $0.append(items) }
            // A commit takes a while, as an fsync does, so callers pile up behind it.
            try? await Task.sleep(for: .milliseconds(5))
            return items.map { $0 % 7 == 3 ? .failure(Odd()) : .success($0 * 10) }
        }
        let results = await withTaskGroup(of: (Int, Int?).self) { group in
            for index in 0..<200 {
                group.addTask { (index, try? await queue.submit(index)) }
            }
            return await group.reduce(into: [Int: Int?]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<200 {
            #expect(results[index] == (index % 7 == 3 ? nil : index * 10))
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<200))
        #expect(batches.allSatisfy { $0.count <= 16 })
        #expect(batches.count < 200, "no batch held more than one item")
    }

    @Test("a lone caller commits at once, alone")
    func loneCaller() async throws {
        let recorder = Recorder()
        let queue = GroupCommitQueue<Int, Int>(maxBatch: 16) { items in
            recorder.batches.withLock { $0.append(items) }
            return items.map { .success($0) }
        }
        for index in 0..<5 {
            #expect(try await queue.submit(index) == index)
        }
        #expect(recorder.batches.withLock { $0 } == [[0], [1], [2], [3], [4]])
    }
}
