import type { WebhookConfig } from "../config/webhook-config.js";
import { publicJwks } from "./public-jwks.js";

/**
 * A `Request → Response` handler that serves a configuration's public JWKS, e.g. at
 * `/.well-known/jwks.json`: GET and HEAD only (405 otherwise), `content-type:
 * application/jwk-set+json`, `cache-control: public, max-age=300` so receivers pick up a new key
 * within five minutes. Errors of `getConfig` propagate to the caller's framework.
 *
 * @example
 * ```ts
 * const handler = jwksHandler(() => registry.getById(configId).then((c) => c!));
 * // Hono: app.get("/.well-known/jwks.json", (c) => handler(c.req.raw))
 * ```
 */
export function jwksHandler(
  getConfig: () => Promise<Pick<WebhookConfig, "auth">> | Pick<WebhookConfig, "auth">,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const body = JSON.stringify(publicJwks(await getConfig()));
    return new Response(request.method === "HEAD" ? null : body, {
      status: 200,
      headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" },
    });
  };
}
