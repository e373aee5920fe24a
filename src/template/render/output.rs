//! The output text and the JavaScript `+` between results: compiled handlebars adds
//! adjacent numbers and booleans before they become text, so the renderer keeps them pending.

use super::{Renderer, Val, R};
use crate::json::{write_number, JsStringLimits, JsStringStop, Value};
use crate::template::error::{Span, TemplateError, TemplateErrorCode};
use crate::template::escape::escape_into;

/// A non-string primitive that compiled handlebars has not converted to text yet.
#[derive(Clone, Copy, Debug)]
pub(super) enum Prim {
    Num(f64),
    Bool(bool),
}

impl Prim {
    pub(super) fn to_number(self) -> f64 {
        match self {
            Prim::Num(n) => n,
            Prim::Bool(b) => f64::from(u8::from(b)),
        }
    }
}

/// What a program (or helper) returned, as compiled handlebars sees it: a string, already
/// written to the output, or a number/boolean not yet converted.
#[derive(Clone, Copy, Debug)]
pub(super) enum Item {
    Str,
    Prim(Prim),
}

/// One pending slot of compiled handlebars' `buffer` / expression chain.
#[derive(Clone, Copy, Debug)]
pub(super) enum Slot {
    Empty,
    Str,
    Prim(Prim),
}

/// JavaScript `+` on two results: numbers and booleans add, anything with a string concatenates.
pub(super) fn plus(me: &mut Renderer<'_>, a: Slot, b: Item, span: Span) -> R<Slot> {
    Ok(match (a, b) {
        (Slot::Empty, Item::Prim(q)) => Slot::Prim(q),
        (Slot::Prim(p), Item::Prim(q)) => Slot::Prim(Prim::Num(p.to_number() + q.to_number())),
        (Slot::Str, Item::Prim(q)) => {
            me.write_prim(q, span)?;
            Slot::Str
        }
        (_, Item::Str) => {
            me.write_str("", span)?;
            Slot::Str
        }
    })
}

/// The state of one running compiled program. Handlebars compiles a program body into
/// `buffer = a + b + …; if (…) { buffer += block } return buffer + c + d`, so adjacent
/// appends are added with JavaScript `+` *before* being added to the buffer: `{{{n}}}{{{m}}}`
/// with two numbers renders their sum. This reproduces that.
#[derive(Clone, Copy, Debug)]
pub(super) struct Acc {
    pub(super) buf: Slot,
    pub(super) run: Slot,
    pub(super) source_seen: bool,
    /// Past the last separate statement: items join `return buffer + a + b` directly.
    pub(super) direct: bool,
    /// A one-statement program (`isSimple`): it returns its statement's value as is.
    pub(super) simple: bool,
}

impl<'l> Renderer<'l> {
    /// Write text. Pending numbers/booleans of enclosing expressions become text first: once a
    /// string is involved, JavaScript `+` concatenates.
    #[inline]
    pub(super) fn write_str(&mut self, s: &str, span: Span) -> R<()> {
        self.flush_pending(span)?;
        self.push_raw(s, span)
    }

    /// A number or boolean as text (`write_str(&p.text())` without the allocation).
    pub(super) fn write_prim(&mut self, p: Prim, span: Span) -> R<()> {
        self.flush_pending(span)?;
        self.push_prim(p, span)
    }

    pub(super) fn push_prim(&mut self, p: Prim, span: Span) -> R<()> {
        match p {
            Prim::Num(n) => {
                write_number(&mut self.out, n);
                if self.out.len() > self.limits.max_output_bytes {
                    return Err(self.output_limit(span));
                }
                Ok(())
            }
            Prim::Bool(b) => self.push_raw(if b { "true" } else { "false" }, span),
        }
    }

    /// Remember that a slot may now hold a number or boolean not yet written.
    #[inline]
    pub(super) fn note(&mut self, slot: Slot) {
        if let Slot::Prim(_) = slot {
            self.pending = true;
        }
    }

    #[inline]
    pub(super) fn flush_pending(&mut self, span: Span) -> R<()> {
        if self.pending {
            self.flush_pending_slow(span)?;
        }
        Ok(())
    }

    #[inline(never)]
    pub(super) fn flush_pending_slow(&mut self, span: Span) -> R<()> {
        for i in 0..self.accs.len() {
            for which in 0..2 {
                let slot = if which == 0 {
                    self.accs[i].buf
                } else {
                    self.accs[i].run
                };
                if let Slot::Prim(p) = slot {
                    self.push_prim(p, span)?;
                    if which == 0 {
                        self.accs[i].buf = Slot::Str;
                    } else {
                        self.accs[i].run = Slot::Str;
                    }
                }
            }
        }
        self.pending = false;
        Ok(())
    }

    #[inline]
    pub(super) fn push_raw(&mut self, s: &str, span: Span) -> R<()> {
        if self.out.len() + s.len() > self.limits.max_output_bytes {
            return Err(self.output_limit(span));
        }
        self.out.push_str(s);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn write_escaped(&mut self, s: &str, span: Span) -> R<()> {
        self.flush_pending(span)?;
        // Escaping at most sextuples the length; check the exact size only when close.
        if self.out.len() + s.len() * 6 > self.limits.max_output_bytes {
            let escaped = crate::template::escape::escape_html(s);
            return self.push_raw(&escaped, span);
        }
        escape_into(&mut self.out, s);
        Ok(())
    }

    /// Append an item to the current program's expression chain (`… + item`).
    #[inline(never)]
    pub(super) fn append_item(&mut self, item: Item, span: Span) -> R<()> {
        // Text joining text (nothing pending to convert) is text: what `plus` would compute.
        if let (Item::Str, false) = (item, self.pending) {
            if let Some(acc) = self.accs.last_mut() {
                if acc.direct {
                    acc.buf = Slot::Str;
                } else {
                    acc.run = Slot::Str;
                }
            }
            return Ok(());
        }
        let Some(acc) = self.accs.last().copied() else {
            return Ok(());
        };
        if acc.direct {
            return self.add_to_buffer(item, span);
        }
        let run = plus(self, acc.run, item, span)?;
        self.note(run);
        if let Some(acc) = self.accs.last_mut() {
            acc.run = run;
        }
        Ok(())
    }

    /// A value turned into an item the way `(v != null ? v : "")` leaves it.
    #[inline(never)]
    pub(super) fn value_item(&mut self, v: &Val, span: Span) -> R<Item> {
        match v {
            Some(Value::Number(n)) => Ok(Item::Prim(Prim::Num(*n))),
            Some(Value::Bool(b)) => Ok(Item::Prim(Prim::Bool(*b))),
            Some(Value::String(s)) => {
                self.write_str(s, span)?;
                Ok(Item::Str)
            }
            other => {
                let text = self.stringify(other, span)?;
                self.write_str(&text, span)?;
                Ok(Item::Str)
            }
        }
    }

    /// End the current expression chain before a statement compiled as a separate line
    /// (`buffer = chain;` the first time, `buffer += chain;` later).
    #[inline(never)]
    pub(super) fn end_run(&mut self, span: Span) -> R<()> {
        let Some(acc) = self.accs.last().copied() else {
            return Ok(());
        };
        // Take the chain out first, so that flushing pending values does not write it twice.
        if let Some(last) = self.accs.last_mut() {
            last.run = Slot::Empty;
        }
        let buf = if !acc.source_seen {
            match acc.run {
                Slot::Empty => Slot::Str,
                run => run,
            }
        } else {
            match acc.run {
                Slot::Empty => acc.buf,
                Slot::Str => plus(self, acc.buf, Item::Str, span)?,
                Slot::Prim(p) => plus(self, acc.buf, Item::Prim(p), span)?,
            }
        };
        self.note(buf);
        if let Some(last) = self.accs.last_mut() {
            *last = Acc {
                buf,
                run: Slot::Empty,
                source_seen: true,
                direct: false,
                simple: acc.simple,
            };
        }
        Ok(())
    }

    /// `if (result != null) { buffer += result; }`
    #[inline(never)]
    pub(super) fn add_to_buffer(&mut self, item: Item, span: Span) -> R<()> {
        let buf = self.accs.last().map_or(Slot::Str, |a| a.buf);
        let buf = plus(self, buf, item, span)?;
        self.note(buf);
        if let Some(acc) = self.accs.last_mut() {
            acc.buf = buf;
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    pub(super) fn output_limit(&self, span: Span) -> Box<TemplateError> {
        TemplateError::boxed(
            TemplateErrorCode::Limit,
            format!(
                "The rendered output exceeds {} bytes.",
                self.limits.max_output_bytes
            ),
            Some(span),
        )
    }

    /// JS `String(value)` with `null`/`undefined` as `""` (what `append` and
    /// `escapeExpression` produce), arrays joined recursively up to `max_data_depth`.
    #[inline(never)]
    pub(super) fn stringify(&self, v: &Val, span: Span) -> R<String> {
        let mut out = String::new();
        let Some(v) = v.as_ref().filter(|v| !v.is_null()) else {
            return Ok(out);
        };
        let limits = JsStringLimits {
            max_depth: self.limits.max_data_depth,
            max_len: self.limits.max_output_bytes,
        };
        match v.write_js_string(&mut out, limits) {
            Ok(()) => Ok(out),
            Err(JsStringStop::Depth) => Err(TemplateError::boxed(
                TemplateErrorCode::Limit,
                format!(
                    "An array nested more than {} levels deep was rendered.",
                    self.limits.max_data_depth
                ),
                Some(span),
            )),
            Err(JsStringStop::Length) => Err(self.output_limit(span)),
            // handlebars' `'' + value` throws this V8 TypeError: the webhook is not sent.
            Err(_) => Err(TemplateError::boxed(
                TemplateErrorCode::Render,
                "TypeError: Cannot convert object to primitive value: the value printed here is \
                 an object with its own `toString` key (or an array holding one), which \
                 JavaScript cannot turn into text, so handlebars throws and Cal.com sends no \
                 webhook. Print one of its fields instead (`{{x.field}}`)."
                    .to_string(),
                Some(span),
            )),
        }
    }
}
