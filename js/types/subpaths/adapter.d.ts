// Types shared by `calhook/express`, `calhook/hono` and `calhook/next` (concatenated into each).
import type { CalhookError, ParseEventOptions, ParsedEvent, Secrets } from './index.js';

/**
 * The secret(s), or a function returning them, called per request with the framework's request
 * or context (Express `req`, Hono `c`, Next `request`): `(c) => c.env.CAL_WEBHOOK_SECRET`.
 */
export type SecretSource = Secrets | null | undefined | ((context: any) => Secrets | null | undefined);

/** Options of the framework adapters. */
export interface AdapterOptions extends ParseEventOptions {
  secret: SecretSource;
  /** Largest body read, in bytes (default 4 MiB); larger ones get 413 `BODY_TOO_LARGE`. */
  maxBytes?: number;
  /**
   * When a body parser already parsed the JSON body, verify `JSON.stringify(body)` instead of
   * failing with `BODY_ALREADY_PARSED` (Cal.com's JSON bodies round-trip exactly); the event
   * is marked `recovered: true`. Default false.
   */
  recover?: boolean;
  /** Called with errors answered with a 5xx (receiver misconfiguration). Default: console.error. */
  onError?: (error: CalhookError) => void;
}

/** A verified event; `recovered` when it was rebuilt from an already-parsed body. */
export type WebhookEvent = ParsedEvent & { recovered?: true };
