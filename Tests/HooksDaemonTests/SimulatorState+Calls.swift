import ArtifactorySimulator
import Foundation

extension SimulatorState {
    /// The answered `PUT`s (204) whose target names an item matching `itemPattern` (a regular
    /// expression such as `k/[0-9]+\.jar`), by the matched text, each with its arrival times in
    /// order: how the process tests see which planned calls reached Artifactory, and how often.
    func answeredPuts(itemMatching itemPattern: String) -> [String: [Date]] {
        var calls: [String: [Date]] = [:]
        for request in requests where request.method == "PUT" && request.status == 204 {
            if let range = request.target.range(of: itemPattern, options: .regularExpression) {
                calls[String(request.target[range]), default: []].append(request.receivedAt)
            }
        }
        return calls
    }
}
