import ArtifactoryEvents
import FuzzSupport

fuzzMain(fuzzSignature)

/// `SignatureVerifier` over any `X-JFrog-Event-Auth` header and body. Input: one byte choosing
/// the mode and where the body is cut for the streamed check, the header up to the first newline,
/// then the body. The first secret is that of fixtures/signatures/vectors.json.
///
/// Checked: the streamed check (`begin`, two `update`s, `finish`) agrees with `verify`; the header
/// a sender computes for either secret verifies in every accepted form (prefix or not, either hex
/// case, spaces around); a header that verifies is one of those forms.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignature(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzBytes(data, size)
    guard let control = input.first else { return 0 }
    let rest = input.dropFirst()
    let newline = rest.firstIndex(of: 0x0A) ?? rest.endIndex
    let header = String(decoding: rest[..<newline], as: UTF8.self)
    let body = Array(rest[newline...].dropFirst())
    let mode = AuthMode.allCases[Int(control) % AuthMode.allCases.count]
    let secrets = ["s3cr3t-main", "a second secret"]
    let verifier = SignatureVerifier(mode: mode, secrets: secrets)

    let verified = verifier.verify(header: header, body: body)
    let cut = Int(control) / AuthMode.allCases.count % (body.count + 1)
    var streamed = false
    if let check = verifier.begin(header: header) {
        check.update(body[..<cut])
        check.update(body[cut...])
        streamed = check.finish()
    }
    fuzzCheck(streamed == verified, "the streamed check says \(streamed), verify says \(verified)")

    guard mode != .none else {
        fuzzCheck(verified, "mode none refused a delivery")
        return 0
    }
    var genuine: [String] = []
    for secret in secrets {
        guard let signed = SignatureVerifier.header(mode: mode, secret: secret, body: body) else {
            fuzzCheck(false, "no header for mode \(mode)")
            return 0
        }
        genuine.append(signed)
        var forms = [signed]
        if mode != .token {
            let hex = signed.hasPrefix("sha1=") ? String(signed.dropFirst(5)) : signed
            let prefix = mode == .hmacSHA1 ? "sha1=" : "sha256="
            forms += [hex, prefix + hex, prefix.uppercased() + hex.uppercased(), " \t" + prefix + hex + " "]
        }
        for form in forms {
            fuzzCheck(verifier.verify(header: form, body: body), "the sender's header \(form) does not verify")
        }
    }
    if verified {
        if mode == .token {
            fuzzCheck(secrets.contains(header), "a token other than the secrets verified: \(header)")
        } else {
            let prefix = mode == .hmacSHA1 ? "sha1=" : "sha256="
            var presented = header.trimmingCharacters(in: " \t").lowercased()
            if presented.hasPrefix(prefix) { presented.removeFirst(prefix.count) }
            let macs = genuine.map { $0.hasPrefix("sha1=") ? String($0.dropFirst(5)) : $0 }
            fuzzCheck(macs.contains(presented), "a header that is no secret's MAC verified: \(header)")
        }
    }
    return 0
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.unicodeScalars.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.unicodeScalars.contains($0) })!
        return String(scalars[first...last])
    }
}
