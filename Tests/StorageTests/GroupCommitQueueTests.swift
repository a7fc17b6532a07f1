import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Storage

@Suite("Group commit")
struct GroupCommitQueueTests {
    /// What a queue's writer did, in order: committed batches and other work on the same writer.
    final class Recorder: Sendable {
        enum Entry: Equatable {
            case batch([Int])
            case other
        }

        let entries = Mutex<[Entry]>([])
        /// Items whose commit has returned.
        let committed = Mutex<Set<Int>>([])

        var batches: [[Int]] {
            entries.withLock { $0 }.compactMap { if case .batch(let items) = $0 { items } else { nil } }
        }
    }

    struct Odd: Error {}

    /// A queue whose writer is a serial dispatch queue, as GRDB's is; `commit` runs `during`
    /// before it records the batch as committed.
    static func makeQueue(
        _ writer: DispatchQueue, _ recorder: Recorder, maxBatch: Int = 16,
        during: @escaping @Sendable ([Int]) -> Void = { _ in }
    ) -> GroupCommitQueue<Int, Int, Void> {
        GroupCommitQueue(maxBatch: maxBatch, schedule: { step in writer.async { step(()) } }) { _, items in
            during(items)
            recorder.entries.withLock { $0.append(.batch(items)) }
            recorder.committed.withLock { $0.formUnion(items) }
            return items.map { $0 % 7 == 3 ? .failure(Odd()) : .success($0 * 10) }
        }
    }

    @Test("concurrent callers share commits, each gets its own result, and only after its batch committed")
    func sharesCommits() async throws {
        let recorder = Recorder()
        // A commit takes a while, as an fsync does, so callers pile up behind it.
        let queue = Self.makeQueue(DispatchQueue(label: "writer"), recorder) { _ in usleep(2_000) }
        let results = await withTaskGroup(of: (Int, Int?, Bool).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let result = try? await queue.submit(index)
                    return (index, result, recorder.committed.withLock { $0.contains(index) })
                }
            }
            return await group.reduce(into: [Int: (Int?, Bool)]()) { $0[$1.0] = ($1.1, $1.2) }
        }
        for index in 0..<200 {
            #expect(results[index]?.0 == (index % 7 == 3 ? nil : index * 10), "item \(index)")
            #expect(results[index]?.1 == true, "item \(index) was answered before its batch committed")
        }
        let batches = recorder.batches
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<200))
        #expect(batches.allSatisfy { $0.count <= 16 })
        #expect(batches.count < 200, "no batch held more than one item")
    }

    @Test("a lone caller commits at once, alone")
    func loneCaller() async throws {
        let recorder = Recorder()
        let queue = Self.makeQueue(DispatchQueue(label: "writer"), recorder)
        for index in 0..<5 {
            #expect(try await queue.submit(index * 7) == index * 70)
        }
        #expect(recorder.batches == [[0], [7], [14], [21], [28]])
    }

    @Test("the next batch forms while one commits, and the writer's other work runs between batches")
    func pipelines() async throws {
        let recorder = Recorder()
        let writer = DispatchQueue(label: "writer")
        let release = DispatchSemaphore(value: 0)
        let started = Mutex(false)
        let queue = Self.makeQueue(writer, recorder, maxBatch: 8) { items in
            if items == [100] {
                started.withLock { $0 = true }
                release.wait()
            }
        }
        // Given a first commit that is still running…
        async let first = queue.submit(100)
        while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
        // … when 10 more callers arrive and another write is queued on the writer meanwhile …
        let others = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<10 { group.addTask { try await queue.submit(index * 7) } }
                return try await group.reduce(into: 0) { $0 += $1 }
            }
        }
        while queue.pendingCount < 10 { try await Task.sleep(for: .milliseconds(1)) }
        writer.async { recorder.entries.withLock { $0.append(.other) } }
        release.signal()
        // … then the first caller gets its result, the others are committed in full batches after
        // the other write, and none of them is lost.
        #expect(try await first == 1000)
        #expect(try await others.value == (0..<10).reduce(0) { $0 + $1 * 70 })
        let entries = recorder.entries.withLock { $0 }
        #expect(entries.first == .batch([100]))
        #expect(entries.dropFirst().first == .other)
        #expect(recorder.batches.dropFirst().map(\.count) == [8, 2])
    }

    @Test("a failed commit fails every caller of its batch and no other")
    func failedCommit() async throws {
        struct Broken: Error {}
        let writer = DispatchQueue(label: "writer")
        let queue = GroupCommitQueue<Int, Int, Void>(maxBatch: 4, schedule: { step in writer.async { step(()) } }) {
            _, items in
            items.contains(13) ? items.map { _ in .failure(Broken()) } : items.map { .success($0) }
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<40 { group.addTask { (index, (try? await queue.submit(index)) == index) } }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results[13] == false)
        #expect(results.values.count { $0 } >= 36, "only the batch of 13 failed")
    }
}
