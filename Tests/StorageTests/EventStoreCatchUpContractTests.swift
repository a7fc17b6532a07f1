import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: catch-up checkpoints, leases and arrival")
struct EventStoreCatchUpContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(
        "one owner holds a subscription's lease until it releases it or it runs out; the checkpoint stays",
        arguments: StoreFactory.all)
    func leases(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let until = Self.start.addingTimeInterval(300)
            // A subscription never caught up has no checkpoint.
            let first = try await store.claimCatchUp(
                subscription: "hooks-a", owner: "one", now: Self.start, until: until)
            #expect(first == .taken(checkpoint: nil))
            // Another owner finds it held; the holder may claim again; other subscriptions are free.
            #expect(
                try await store.claimCatchUp(subscription: "hooks-a", owner: "two", now: Self.start, until: until)
                    == .held)
            #expect(
                try await store.claimCatchUp(subscription: "hooks-a", owner: "one", now: Self.start, until: until)
                    == .taken(checkpoint: nil))
            #expect(
                try await store.claimCatchUp(subscription: "hooks-b", owner: "two", now: Self.start, until: until)
                    == .taken(checkpoint: nil))

            // Only the holder moves the checkpoint.
            #expect(try await store.advanceCatchUp(subscription: "hooks-a", owner: "one", checkpoint: 42, until: until))
            #expect(
                !(try await store.advanceCatchUp(subscription: "hooks-a", owner: "two", checkpoint: 99, until: until)))

            // Released, the next owner gets the checkpoint.
            try await store.releaseCatchUp(subscription: "hooks-a", owner: "one")
            #expect(
                try await store.claimCatchUp(subscription: "hooks-a", owner: "two", now: Self.start, until: until)
                    == .taken(checkpoint: 42))

            // A lease that ran out is taken over (its holder crashed).
            let later = until.addingTimeInterval(1)
            #expect(
                try await store.claimCatchUp(
                    subscription: "hooks-a", owner: "three", now: later, until: later.addingTimeInterval(300))
                    == .taken(checkpoint: 42))
            #expect(
                !(try await store.advanceCatchUp(subscription: "hooks-a", owner: "two", checkpoint: 50, until: later)))
        }
    }

    @Test("an event keeps how it arrived: delivery by default, catch-up when read back", arguments: StoreFactory.all)
    func arrival(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let delivered = try await store.insert(
                try delivery(artifactBody(path: "a.jar"), at: Self.start), dedupWindow: .zero)
            var caught = try delivery(artifactBody(path: "b.jar"), at: Self.start, from: nil)
            caught.arrival = .catchUp
            let caughtUp = try await store.insert(caught, dedupWindow: .zero)
            #expect(try await store.event(id: delivered.eventID)?.arrival == .delivery)
            #expect(try await store.event(id: caughtUp.eventID)?.arrival == .catchUp)
        }
    }
}
