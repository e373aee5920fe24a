// workerd: a Cal.com webhook endpoint.
import { handle } from './handler.mjs';

export default { fetch: handle };
