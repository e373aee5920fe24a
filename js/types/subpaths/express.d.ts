// Types of `calhook/express`. No dependency on express (or @types/node): the request and
// response are the Node objects Express passes; after the middleware `req.calhook` holds the event.

/** Add to your request type (`req as Request & CalhookRequest`) to read `req.calhook`. */
export interface CalhookRequest {
  calhook?: WebhookEvent;
}

/** An Express-compatible middleware. */
export type CalhookMiddleware = (req: any, res: any, next: (error?: unknown) => void) => void;

/**
 * A middleware that reads the raw body itself (mount it before `express.json()`), verifies
 * `X-Cal-Signature-256` and parses the event into `req.calhook`, or, with `handler`, calls it
 * with the typed event (a handler that sends nothing answers 200). Failures get errorResponse's
 * status and JSON body; `BODY_ALREADY_PARSED` (500) when a body parser ran first.
 */
export declare function calhook(
  secretOrOptions: SecretSource | AdapterOptions,
  handler?: (event: WebhookEvent, req: any, res: any, next: (error?: unknown) => void) => unknown,
): CalhookMiddleware;
