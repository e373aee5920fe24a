// Template preview (filled in as the template API lands).
export function initTemplate() {
  throw new Error('template API not available');
}
