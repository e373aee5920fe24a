// Webhook config check (filled in as the validation API lands).
export function initConfig() {
  throw new Error('validation API not available');
}
