import FuzzSupport
import HooksDaemon
import YAMLDiagnostics

fuzzMain(fuzzConfig)

/// The daemon's config reader (`DaemonConfig.parse`, what `load` runs on the file's text) over any
/// text, with no environment overrides and the file in a folder that does not exist, so a relative
/// `*_file` names nothing. Checked: it returns a config or diagnostics, and every diagnostic
/// renders.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let text = fuzzText(data, size) else { return 0 }
    do {
        _ = try DaemonConfig.parse(text: text, file: "/nonexistent/fuzz/config.yml", environment: [:])
    } catch {
        fuzzCheck(!error.diagnostics.isEmpty, "the config was refused without a diagnostic")
        for diagnostic in error.diagnostics { _ = diagnostic.description }
    }
    return 0
}
