public import Foundation

/// Catch-up's checkpoints: per webhook subscription, the Artifactory time (Unix milliseconds)
/// before which every troubleshooting record has been read and stored, and a lease so that of
/// several daemons on one store only one catches a subscription up at a time.
public protocol CatchUpLedger: Sendable {
    /// Takes the lease on `subscription` for `owner` until `until`, when no other owner holds an
    /// unexpired one, and returns the checkpoint (`nil` when there is none yet). Returns
    /// ``CatchUpLease/held`` when another owner holds it.
    func claimCatchUp(subscription: String, owner: String, now: Date, until: Date) async throws -> CatchUpLease

    /// Moves the checkpoint of `subscription` to `checkpoint` and extends the lease to `until`;
    /// `false` when `owner` no longer holds the lease (nothing is written then).
    func advanceCatchUp(subscription: String, owner: String, checkpoint: Int64, until: Date) async throws -> Bool

    /// Gives the lease up (the checkpoint stays).
    func releaseCatchUp(subscription: String, owner: String) async throws
}

/// What ``CatchUpLedger/claimCatchUp(subscription:owner:now:until:)`` found.
public enum CatchUpLease: Sendable, Equatable {
    /// The lease is taken; the checkpoint, or `nil` when the subscription was never caught up.
    case taken(checkpoint: Int64?)
    /// Another daemon holds it.
    case held
}
