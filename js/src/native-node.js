// Node's native HMAC for large bodies (see setNativeHmac in signature.js).
import { createHmac } from 'node:crypto';
import { setNativeHmac } from './signature.js';

setNativeHmac((secret, body) => createHmac('sha256', secret).update(body).digest());
