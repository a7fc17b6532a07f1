import ArtifactoryEvents

/// The fields conditions test, read out of one event once per plan so that testing hundreds of
/// rules does not decode the typed data again for every condition.
struct EventView {
    var repo: String?
    var path: String?
    var name: String?
    var sha256: String?
    var size: String?
    var buildName: String?
    var buildNumber: String?
    var buildRepo: String?
    var propertyKey: String?
    var propertyValues: [String]?
    var imageName: String?
    var tag: String?
    var bundleName: String?
    var bundleVersion: String?
    var origin: String?
    var subscription: String?
    var data: JSONValue

    init(_ event: WebhookEvent) {
        origin = event.origin
        subscription = event.subscriptionKey
        data = event.data
        switch event.typedData {
        case .artifact(let item), .artifactLifecycle(let item):
            self.item(item)
        case .artifactProperty(let property):
            item(property.item)
            propertyKey = property.propertyKey
            propertyValues = property.propertyValues
        case .docker(let image):
            item(image.item)
            imageName = image.imageName
            tag = image.tag
        case .build(let build):
            buildName = build.buildName
            buildNumber = build.buildNumber
            buildRepo = build.buildRepo
        case .releaseBundle(let bundle):
            bundleName = bundle.name
            bundleVersion = bundle.version
        case .user, .application, .unknown:
            break
        }
    }

    private mutating func item(_ item: ArtifactData) {
        repo = item.repoKey
        path = item.path
        name = item.name
        sha256 = item.sha256
        size = item.size.map(String.init)
    }
}
