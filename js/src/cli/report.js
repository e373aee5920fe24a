// Reporting calhook errors in the `calhook` command: template errors with their excerpt.
import { CalhookError, formatDiagnostic } from 'calhook';

/** A CalhookError raised while using a template, carrying the source for its excerpt. */
export class TemplateFailure extends Error {
  constructor(error, source, file) {
    super(error.message);
    this.error = error;
    this.source = source;
    this.file = file;
  }
}

/** Run `fn`; a CalhookError with a span becomes a TemplateFailure pointing into `source`. */
export function withTemplate(source, file, fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CalhookError && e.span && typeof source === 'string') throw new TemplateFailure(e, source, file);
    throw e;
  }
}

/** The text to print for a TemplateFailure. */
export function templateReport(failure) {
  return formatDiagnostic(failure.source, failure.error, { file: failure.file });
}
