/// Where a copy or move puts the item: its `to:` rendered and checked, as the request and the
/// expected effects name it.
struct TransferDestination {
    /// `REPO/PATH`, percent-encoded, for the `to=` query parameter.
    let encoded: String
    /// `artifact:REPO/PATH`.
    let subject: String
}
