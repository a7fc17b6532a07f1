import ArtifactoryEvents
import FuzzSupport

fuzzMain(fuzzJSON)

/// `JSONParser.parse` over any bytes (every webhook body and AQL answer goes through it). A value
/// it accepts, printed back as compact JSON (`jsonText`), parses to the same value and prints the
/// same text again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let value = try? JSONParser.parse(fuzzBytes(data, size)) else { return 0 }
    let text = value.jsonText
    let again: JSONValue
    do {
        again = try JSONParser.parse(Array(text.utf8))
    } catch {
        fuzzCheck(false, "the reprinted value does not parse (\(error)): \(text)")
        return 0
    }
    fuzzCheck(again == value, "the reprinted value parses to another value: \(text)")
    fuzzCheck(again.jsonText == text, "the reprinted value prints differently: \(text)")
    return 0
}
