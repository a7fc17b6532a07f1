import ArtifactoryEvents
import FuzzSupport

fuzzMain(fuzzWebhook)

/// `WebhookEvent(body:)`, the ingest path's decoder, over any bytes. An event it accepts has a
/// subject, and its webhook body (`jsonText`, what `json: event` sends on) decodes to the same
/// event.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let event = try? WebhookEvent(body: fuzzBytes(data, size)) else { return 0 }
    _ = event.subject.key
    let text = event.jsonText
    let again: WebhookEvent
    do {
        again = try WebhookEvent(body: Array(text.utf8))
    } catch {
        fuzzCheck(false, "the event's own body does not decode (\(error)): \(text)")
        return 0
    }
    fuzzCheck(again == event, "the event's own body decodes to another event: \(text)")
    return 0
}
