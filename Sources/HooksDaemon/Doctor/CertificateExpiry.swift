import Foundation
import NIOSSL

/// How near a certificate is to its end: a warning under ``warnDays`` days, a failure once it has
/// expired.
enum CertificateExpiry {
    static let warnDays = 14

    /// The check of the first certificate in the PEM file at `file`.
    static func check(file: String, name: String, now: Date) -> DoctorCheck {
        let certificate: NIOSSLCertificate
        do {
            guard let first = try NIOSSLCertificate.fromPEMFile(file).first else {
                return .fail(name, "\(file) holds no certificate", "give a PEM certificate chain in tls.cert_file")
            }
            certificate = first
        } catch {
            return .fail(
                name, "cannot read the certificate \(file) (\(error))", "give a PEM certificate chain in tls.cert_file")
        }
        return check(
            notValidAfter: Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter)),
            of: "the certificate in \(file)", name: name, now: now,
            todo: "renew it and reload the daemon (SIGHUP re-reads tls.cert_file)")
    }

    /// The check of a certificate that is valid until `notValidAfter`.
    static func check(notValidAfter: Date, of what: String, name: String, now: Date, todo: String) -> DoctorCheck {
        let formatter = ISO8601DateFormatter()
        let end = formatter.string(from: notValidAfter)
        let days = Int(notValidAfter.timeIntervalSince(now) / 86_400)
        if notValidAfter <= now {
            return .fail(name, "\(what) expired at \(end)", todo)
        }
        if days < warnDays {
            return .warn(name, "\(what) expires at \(end), in \(days) day(s) — \(todo)")
        }
        return .ok(name, "\(what) is valid until \(end) (\(days) days)")
    }
}
