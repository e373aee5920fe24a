// Types of `calhook/next`. No dependency on next: NextRequest is a Fetch Request.

/**
 * An App Router route handler: `export const POST = calhook(secret, async (event, request) => …)`.
 * The handler gets the verified, typed event and may return a Response (default: 200, empty).
 * Failures return errorResponse's Response.
 */
export declare function calhook<R extends Request = Request, Ctx = unknown>(
  secretOrOptions: SecretSource | AdapterOptions,
  handler: (event: WebhookEvent, request: R, context: Ctx) => Response | void | Promise<Response | void>,
): (request: R, context: Ctx) => Promise<Response>;
