// The template panel's model: which trigger and dialect are picked, the last payload that
// parsed, the delivery input they make, and the questions asked of the package (the delivery,
// the rendered text, the variables). No DOM here: the rules about the data live in the package.

const SIG = 'x-cal-signature-256';
const VERSION = 'x-cal-webhook-version';
/** The only `X-Cal-Webhook-Version` value defined upstream. */
export const WEBHOOK_VERSION = '2021-10-20';

/** A header of a delivery by lowercase name (`headers` is an object or a Map). */
export function headerOf(headers, name) {
  if (!headers) return undefined;
  if (headers instanceof Map) headers = Object.fromEntries(headers);
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** The text compacted when it is JSON (for the URL), else as typed. */
export function compactOrRaw(text) {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The content type, signature and version headers of a delivery. */
export function deliveryHeaders(delivery) {
  return {
    contentType: delivery.contentType ?? headerOf(delivery.headers, 'content-type'),
    signature: headerOf(delivery.headers, SIG) ?? '',
    version: headerOf(delivery.headers, VERSION),
  };
}

export function createModel(api, state) {
  const triggers = api.TRIGGERS;
  const names = new Set(triggers.map((t) => t.name));
  const model = {
    triggers,
    names,
    trigger: names.has(state.trigger) ? state.trigger : names.has('BOOKING_CREATED') ? 'BOOKING_CREATED' : triggers[0].name,
    dialect: state.dialect === 'reference' ? 'reference' : 'calcom',
    /** The last payload that parsed. */
    payload: undefined,
    payloadEdited: false,
    /** `pretty` or `exact`. */
    bodyView: 'pretty',
    /** The last request shown: what the copy buttons and the signature hand-off use. */
    last: { body: '', header: '', source: '' },

    /** The trigger table's entry for the current trigger. */
    info() {
      return (api.describeTrigger ? api.describeTrigger(model.trigger) : null) ?? triggers.find((t) => t.name === model.trigger);
    },

    /** The variables a template for this trigger can read, as the package lists them. */
    variables() {
      try {
        return api.templateVariables(model.trigger, { dialect: model.dialect });
      } catch {
        return [];
      }
    },

    /** The `createdAt` of the package's sample envelope for the trigger. */
    sampleCreatedAt() {
      const sample = api.samplePayload(model.trigger);
      return sample && typeof sample === 'object' && typeof sample.createdAt === 'string' ? sample.createdAt : new Date(0).toISOString();
    },

    /** Parse the payload editor's text: `null` when it parsed (and is now the payload), else the error. */
    readPayload(text) {
      try {
        model.payload = JSON.parse(text);
        return null;
      } catch (e) {
        return e;
      }
    },

    /** The buildDelivery input for this template and these settings. */
    input({ template, createdAt, secret, version }) {
      return {
        triggerEvent: model.trigger,
        createdAt,
        payload: model.payload,
        template,
        secret,
        version: version ? WEBHOOK_VERSION : null,
        dialect: model.dialect,
      };
    },

    /** `{ delivery }` or `{ error }`: what Cal.com would send. */
    deliver(input) {
      try {
        return { delivery: api.buildDelivery(input), error: null };
      } catch (error) {
        return { delivery: null, error };
      }
    },

    /** A template error as the package's caret report (what the `calhook` command prints):
     * the position, the source line with carets under the span, the rest of the message.
     * `null` for errors without a span, or a package without `formatDiagnostic`. */
    report(source, error) {
      if (!error?.span || typeof source !== 'string' || !api.formatDiagnostic) return null;
      try {
        return api.formatDiagnostic(source, error);
      } catch {
        return null;
      }
    },

    /** The text the sender renders before it parses it as JSON (the package applies the data
     * layout and Cal.com's `&quot;` replacement), or `null` when the package cannot say. */
    rendered(input) {
      if (!api.renderPayloadTemplate) return null;
      try {
        return api.renderPayloadTemplate(input) ?? null;
      } catch {
        return null;
      }
    },
  };
  return model;
}
