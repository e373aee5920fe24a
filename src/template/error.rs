//! The template domain's error type.

pub(crate) use crate::span::LineIndex;
pub use crate::span::Span;
use std::fmt;

/// Stable machine-readable error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateErrorCode {
    /// The template does not parse (handlebars throws on the first render).
    Syntax,
    /// Rendering throws (missing helper, wrong argument count, calling data, …).
    Render,
    /// A size, nesting or work limit was exceeded.
    Limit,
    /// A Handlebars feature Cal.com cannot use was reached: a decorator other than `inline`
    /// (Cal.com registers none, so handlebars throws `Missing decorator`).
    Unsupported,
}

impl TemplateErrorCode {
    /// The code as a string: `TEMPLATE_SYNTAX`, `TEMPLATE_RENDER`, `TEMPLATE_LIMIT`,
    /// `TEMPLATE_UNSUPPORTED`.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateErrorCode::Syntax => "TEMPLATE_SYNTAX",
            TemplateErrorCode::Render => "TEMPLATE_RENDER",
            TemplateErrorCode::Limit => "TEMPLATE_LIMIT",
            TemplateErrorCode::Unsupported => "TEMPLATE_UNSUPPORTED",
        }
    }
}

impl fmt::Display for TemplateErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from compiling or rendering a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// What kind of failure this is.
    pub code: TemplateErrorCode,
    /// What went wrong and, where it helps, what to write instead. Parse errors keep the
    /// shape of handlebars' own messages (`Parse error on line N: … Expecting …, got '…'`).
    pub message: String,
    /// Where in the template, when known.
    pub span: Option<Span>,
}

impl TemplateError {
    /// A human-readable report: `line:column: error[CODE]: message`, the source line and a
    /// caret line under the span (the same format as `formatDiagnostic` and `calhook lint`).
    pub fn report(&self, source: &str) -> String {
        super::excerpt::format_report(
            source,
            &super::excerpt::Report {
                origin: None,
                severity: "error",
                code: self.code.as_str(),
                message: &self.message,
                span: self.span,
                help: None,
            },
        )
    }

    /// What kind of failure this is (`.as_str()` gives the stable string).
    pub fn code(&self) -> TemplateErrorCode {
        self.code
    }

    pub(crate) fn new(
        code: TemplateErrorCode,
        message: impl Into<String>,
        span: Option<Span>,
    ) -> Self {
        TemplateError {
            code,
            message: message.into(),
            span,
        }
    }

    /// [`TemplateError::new`] on the heap, as the parser and the renderer pass errors: a
    /// `Result` with a boxed error is one word wide, so every `?` in the recursive walks
    /// moves a pointer instead of the whole error.
    #[cold]
    #[inline(never)]
    pub(crate) fn boxed(code: TemplateErrorCode, message: String, span: Option<Span>) -> Box<Self> {
        Box::new(TemplateError {
            code,
            message,
            span,
        })
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(span) = self.span {
            write!(f, " (line {}, column {})", span.line, span.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for TemplateError {}
