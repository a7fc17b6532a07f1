import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: duplicates keep no body, the store's size")
struct EventStoreSizeContractTests {
    /// An artifact.deployed body for `path`, padded to about `size` bytes.
    static func largeBody(path: String, size: Int) -> String {
        #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"\#(path)","padding":"\#(String(repeating: "x", count: size))"}}"#
    }

    @Test("a duplicate stores no body; its original keeps the whole body", arguments: StoreFactory.all)
    func duplicateKeepsNoBody(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let body = Self.largeBody(path: "a", size: 100_000)
            let first = try await store.insert(try delivery(body), dedupWindow: .seconds(60))
            let second = try await store.insert(try delivery(body), dedupWindow: .seconds(60))
            #expect(second.duplicateOf == first.eventID)
            #expect(try await store.event(id: first.eventID)?.body == Array(body.utf8))
            let duplicate = try #require(try await store.event(id: second.eventID))
            #expect(duplicate.body.isEmpty)
            #expect(duplicate.fingerprint == (try await store.event(id: first.eventID))?.fingerprint)
        }
    }

    @Test(
        "the size grows with bodies, hardly with duplicates, and falls when events are pruned",
        arguments: StoreFactory.all)
    func size(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let empty = try await store.storeSize()
            #expect(empty > 0)
            let body = Self.largeBody(path: "a", size: 1 << 20)
            _ = try await store.insert(
                try delivery(body, at: Date().addingTimeInterval(-3600)), dedupWindow: .seconds(7200))
            let one = try await store.storeSize()
            for _ in 0..<20 { _ = try await store.insert(try delivery(body), dedupWindow: .seconds(7200)) }
            let repeated = try await store.storeSize()
            #expect(repeated - one < 256 << 10, "20 duplicates grew the store by \(repeated - one) bytes")
            // PostgreSQL compresses the padding (TOAST) and keeps freed space: SQLite shows the rest.
            if factory.name == "SQLite" {
                #expect(one - empty >= 1 << 20)
                #expect(
                    try await store.pruneEvents(receivedBefore: Date().addingTimeInterval(60), limit: 100).events == 21)
                let pruned = try await store.storeSize()
                #expect(pruned <= empty + (64 << 10), "empty \(empty), one \(one), 21 \(repeated), pruned \(pruned)")
            }
        }
    }

    @Test("an original is pruned together with its duplicates, whatever the batch size", arguments: StoreFactory.all)
    func duplicatesGoWithOriginal(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let old = Date().addingTimeInterval(-7200)
            let original = try await store.insert(
                try delivery(artifactBody(path: "a"), at: old), dedupWindow: .seconds(3600))
            for minutes in 1...3 {
                _ = try await store.insert(
                    try delivery(artifactBody(path: "a"), at: old.addingTimeInterval(Double(minutes) * 60)),
                    dedupWindow: .seconds(3600))
            }
            let later = try await store.insert(
                try delivery(artifactBody(path: "b"), at: old.addingTimeInterval(600)), dedupWindow: .seconds(3600))
            #expect(try await store.prunableEvents(receivedBefore: Date()).events == 5)
            // A batch of one takes the original and its three duplicates: none is left without it.
            #expect(try await store.pruneEvents(receivedBefore: Date(), limit: 1).events == 4)
            #expect(try await store.event(id: original.eventID) == nil)
            #expect(try await store.events(matching: EventQuery(limit: 10)).map(\.id) == [later.eventID])
        }
    }
}
