import Hummingbird
import NIOCore

/// The web player at `/` and the OpenAPI document at `/openapi.json`.
struct WebRoutes: Sendable {
    let assets: WebAssets

    func add(to router: Router<ServerContext>) {
        for (path, asset) in assets.byPath {
            router.get(RouterPath(path)) { _, _ in
                Response(status: .ok,
                         headers: [.contentType: asset.contentType, .cacheControl: "no-cache", .accessControlAllowOrigin: "*",
                                   .contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
            }
        }
    }
}
