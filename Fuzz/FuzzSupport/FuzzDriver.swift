import CFuzzerDriver
import Foundation

/// Runs libFuzzer over `entry` with the command line's options and corpus folders, and exits with
/// its status. Each target's top-level code calls it with its `LLVMFuzzerTestOneInput`: SwiftPM
/// makes an executable's `main` its own, so libFuzzer's `main` cannot be the one.
public func fuzzMain(_ entry: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    let status = fuzzer_driver_run(CommandLine.argc, CommandLine.unsafeArgv, entry)
    exit(status)
}
