/// Durable storage of webhook events, their jobs, attempts and leases: the three roles in one.
///
/// Every implementation runs the same contract tests. A method returns only after its write has
/// committed with the store's configured durability, so a caller may acknowledge on return.
/// Components take the role they use (``EventLog`` for ingest, ``JobQueue`` for the worker,
/// ``StoreMaintenance`` for health and retention); what needs several takes the whole store.
public protocol EventStore: EventLog, JobQueue, StoreMaintenance, ExpansionQueue, CatchUpLedger,
    SubscriptionTestLedger, ActivityLog
{}
