//! What a program invocation sees: the deduplicated `depths` context stack (`wrapProgram`),
//! data frames (`createFrame`), block parameters, and path lookups with own-property
//! protection (`lookupProperty`).

use std::rc::Rc;

use super::partials::{PartialBlock, Partials};
use super::{type_error, Renderer, Val, R};
use crate::json::{array_index, Object, Value};
use crate::template::ast::{PathExpr, Program};
use crate::template::error::Span;

/// The `depths` array of compiled handlebars, as a shared linked list (`depths[0]` first).
pub(super) struct Depths {
    pub(super) value: Val,
    pub(super) next: Option<Rc<Depths>>,
}

/// Block parameters declared by one program (`as |a b|`) and the values its helper passed.
pub(super) struct BlockParams<'t> {
    pub(super) names: &'t [String],
    /// `None` when the helper passed no `blockParams` (e.g. `#if`): reading one throws.
    pub(super) values: Option<Vec<Val>>,
    pub(super) parent: Option<Rc<BlockParams<'t>>>,
}

/// What a program invocation sees.
#[derive(Clone)]
pub(super) struct Scope<'t> {
    /// `depth0`, the current context.
    pub(super) ctx: Val,
    pub(super) depths: Rc<Depths>,
    /// The data frame (`@root`, `@index`, …).
    pub(super) data: Rc<Frame<'t>>,
    pub(super) block_params: Option<Rc<BlockParams<'t>>>,
    /// Inline partials registered by the programs running (`container.partials`).
    pub(super) partials: Option<Rc<Partials<'t>>>,
}

/// A program with the state its wrapper closed over
/// (`container.program(i, data, 0, blockParams, depths)`).
pub(super) struct Closure<'t> {
    pub(super) program: Option<&'t Program>,
    pub(super) depths: Rc<Depths>,
    pub(super) data: Rc<Frame<'t>>,
    pub(super) block_params: Option<Rc<BlockParams<'t>>>,
}

/// A [`Closure`] whose state is borrowed from the running scope.
#[derive(Clone, Copy)]
pub(super) struct ClosureRef<'a, 't> {
    pub(super) program: &'t Program,
    pub(super) depths: &'a Rc<Depths>,
    pub(super) data: &'a Rc<Frame<'t>>,
    pub(super) block_params: &'a Option<Rc<BlockParams<'t>>>,
}

/// A data frame (`options.data`). Handlebars copies the parent frame into a new object and
/// adds `_parent`, `key`, `index`, `first` and `last` (`createFrame` in `#each`); this keeps
/// the same information without building an object per iteration.
pub(super) struct Frame<'t> {
    pub(super) root: Value,
    pub(super) iteration: Option<Iteration>,
    pub(super) parent: Option<Rc<Frame<'t>>>,
    pub(super) partial_block: Option<Rc<PartialBlock<'t>>>,
}

#[derive(Clone)]
pub(super) struct Iteration {
    pub(super) key: Value,
    pub(super) index: usize,
    pub(super) first: bool,
    pub(super) last: bool,
}

/// A value reached through `@…`: a frame or an ordinary value.
pub(super) enum DataVal<'t> {
    Frame(Rc<Frame<'t>>),
    Val(Val),
}

impl<'t> Frame<'t> {
    /// `createFrame(parent)`: a copy of the parent's properties with `_parent` set.
    pub(super) fn child(
        parent: &Rc<Frame<'t>>,
        partial_block: Option<Rc<PartialBlock<'t>>>,
    ) -> Rc<Frame<'t>> {
        Rc::new(Frame {
            root: parent.root.clone(),
            iteration: parent.iteration.clone(),
            parent: Some(parent.clone()),
            partial_block,
        })
    }

    pub(super) fn get(self: &Rc<Frame<'t>>, name: &str) -> DataVal<'t> {
        let it = self.iteration.as_ref();
        DataVal::Val(match name {
            "root" => Some(self.root.clone()),
            "_parent" => {
                return self
                    .parent
                    .clone()
                    .map_or(DataVal::Val(None), DataVal::Frame)
            }
            "key" => it.map(|i| i.key.clone()),
            "index" => it.map(|i| Value::Number(i.index as f64)),
            "first" => it.map(|i| Value::Bool(i.first)),
            "last" => it.map(|i| Value::Bool(i.last)),
            _ => None,
        })
    }

    /// The frame as the object handlebars would have (`{root, _parent, key, index, first, last}`).
    /// Frames nest only as deep as `#each` blocks do.
    pub(super) fn to_value(&self) -> Value {
        let mut o = Object::new();
        o.insert("root", self.root.clone());
        if let Some(parent) = &self.parent {
            o.insert("_parent", parent.to_value());
        }
        if let Some(i) = &self.iteration {
            o.insert("key", i.key.clone());
            o.insert("index", Value::Number(i.index as f64));
            o.insert("first", Value::Bool(i.first));
            o.insert("last", Value::Bool(i.last));
        }
        Value::object(o)
    }
}

/// JS `==` between two possibly-undefined values (the one `==` of `crate::json`).
#[inline]
pub(super) fn loose_eq(a: &Val, b: &Val) -> bool {
    crate::json::loose_eq(a.as_ref(), b.as_ref())
}

/// UTF-16 length of a string.
pub(super) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `lookupProperty(parent, name)` for JSON values: own properties only.
pub(super) fn lookup_property(parent: &Value, name: &str) -> Val {
    match parent {
        Value::Object(o) => o.get(name).cloned(),
        Value::Array(a) => {
            if name == "length" {
                return Some(Value::Number(a.len() as f64));
            }
            array_index(name).and_then(|i| a.get(i as usize)).cloned()
        }
        Value::String(s) => {
            if name == "length" {
                return Some(Value::Number(utf16_len(s) as f64));
            }
            let i = array_index(name)?;
            let unit = s.encode_utf16().nth(i as usize)?;
            // A lone surrogate half cannot be a Rust string: it becomes U+FFFD.
            let text = char::decode_utf16([unit]).next()?.unwrap_or('\u{fffd}');
            Some(Value::string(text.to_string()))
        }
        _ => None,
    }
}

/// `cur != null ? lookupProperty(cur, part) : cur` along the parts.
pub(super) fn resolve_not_null(start: Val, parts: &[String]) -> Val {
    let mut cur = start;
    for part in parts {
        cur = match cur {
            None | Some(Value::Null) => cur,
            Some(v) => lookup_property(&v, part),
        };
    }
    cur
}

/// [`resolve_not_null`] from a borrowed start, cloning only the result (objects and array
/// elements are walked by reference).
pub(super) fn resolve_ref(start: Option<&Value>, parts: &[String]) -> Val {
    let mut cur = start;
    for (i, part) in parts.iter().enumerate() {
        cur = match cur {
            // `null`/`undefined` stay as they are for the remaining parts.
            None | Some(Value::Null) => return cur.cloned(),
            Some(Value::Object(o)) => o.get(part),
            Some(Value::Array(a)) if part != "length" => {
                array_index(part).and_then(|i| a.get(i as usize))
            }
            Some(v) => {
                return resolve_not_null(
                    lookup_property(v, part),
                    parts.get(i + 1..).unwrap_or_default(),
                )
            }
        };
    }
    cur.cloned()
}

impl<'l> Renderer<'l> {
    /// `depth0` or `depths[n]`, borrowed.
    pub(super) fn context_ref<'s>(scope: &'s Scope<'_>, depth: usize) -> Option<&'s Value> {
        if depth == 0 {
            return scope.ctx.as_ref();
        }
        let mut node = Some(&scope.depths);
        for _ in 0..depth {
            node = node.and_then(|n| n.next.as_ref());
        }
        node.and_then(|n| n.value.as_ref())
    }

    /// `depth0` or `depths[n]`.
    pub(super) fn context_at(scope: &Scope<'_>, depth: usize) -> Val {
        if depth == 0 {
            return scope.ctx.clone();
        }
        let mut node = Some(&scope.depths);
        for _ in 0..depth {
            node = node.and_then(|n| n.next.as_ref());
        }
        node.and_then(|n| n.value.clone())
    }

    /// A block parameter by name: `Ok(None)` when no enclosing program declares it.
    #[inline(never)]
    pub(super) fn block_param(scope: &Scope<'_>, name: &str, span: Span) -> R<Option<Val>> {
        let mut frame = scope.block_params.as_ref();
        while let Some(f) = frame {
            if let Some(idx) = f.names.iter().position(|n| n == name) {
                return match &f.values {
                    Some(values) => Ok(Some(values.get(idx).cloned().flatten())),
                    None => Err(type_error(
                        format!(
                            "Block parameter \"{name}\" has no value: only #each, #with and sections over arrays provide block parameters (handlebars: Cannot read properties of undefined)."
                        ),
                        span,
                    )),
                };
            }
            frame = f.parent.as_ref();
        }
        Ok(None)
    }

    pub(super) fn is_block_param(scope: &Scope<'_>, name: &str) -> bool {
        let mut frame = scope.block_params.as_ref();
        while let Some(f) = frame {
            if f.names.iter().any(|n| n == name) {
                return true;
            }
            frame = f.parent.as_ref();
        }
        false
    }

    /// Evaluate a path (`PathExpression` in handlebars' compiler).
    #[inline(never)]
    pub(super) fn path(&self, p: &PathExpr, scope: &Scope<'_>) -> R<Val> {
        let first = p.parts.first();
        if p.depth == 0 && !p.scoped && scope.block_params.is_some() {
            if let Some(name) = first {
                if let Some(v) = Self::block_param(scope, name, p.span)? {
                    return Ok(resolve_not_null(v, &p.parts[1..]));
                }
            }
        }
        if !first.is_some_and(|n| !n.is_empty()) {
            // `{{this}}`, `{{.}}`, `{{..}}`, `{{[]}}`, `{{@..}}`: the context itself (handlebars'
            // `!name` case ignores any further segments).
            return Ok(Self::context_at(scope, p.depth));
        }
        if p.data {
            // `@index`, `@first`, `@key`, …: one lookup on the current frame.
            if let ([name], 0) = (p.parts.as_slice(), p.depth) {
                if name != "_parent" {
                    if let DataVal::Val(v) = scope.data.get(name) {
                        return Ok(v);
                    }
                }
            }
            // `container.data(data, depth)`, then `&&`-chained lookups.
            let mut cur = DataVal::Frame(scope.data.clone());
            for _ in 0..p.depth {
                cur = match cur {
                    DataVal::Frame(f) => f.get("_parent"),
                    other => other,
                };
            }
            for part in &p.parts {
                cur = match cur {
                    DataVal::Frame(f) => f.get(part),
                    DataVal::Val(Some(v)) if v.is_truthy() => {
                        DataVal::Val(lookup_property(&v, part))
                    }
                    falsy => falsy,
                };
            }
            return Ok(match cur {
                DataVal::Frame(f) => Some(f.to_value()),
                DataVal::Val(v) => v,
            });
        }
        Ok(resolve_ref(Self::context_ref(scope, p.depth), &p.parts))
    }
}
