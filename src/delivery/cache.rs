//! Templates prepared once for many deliveries.
//!
//! Cal.com compiles the webhook's template on every delivery; what that derives from the source
//! alone (whether the template is JSON, hence the content type, and the compiled template or
//! its error) is the same every time, so a host that sends many deliveries with one template
//! computes it once. The results, errors included, are replayed in the order the sender would
//! meet them, so a cached delivery is byte for byte (and error for error) an uncached one.

use super::{template_is_json, Dialect};
use crate::json::JsonError;
use crate::template::{compile, CompileOptions, Template, TemplateError};
use std::rc::Rc;

/// What a delivery derives from its template source alone (see [`TemplateCache`]).
#[derive(Clone, Debug)]
pub struct PreparedTemplate {
    source: String,
    dialect: Dialect,
    /// `JSON.parse(template)` is truthy (the content type), or the JSON limit it hit.
    pub(super) is_json: Result<bool, JsonError>,
    /// The compiled template, or why it does not compile.
    pub(super) compiled: Result<Template, TemplateError>,
}

impl PreparedTemplate {
    /// Prepare `source` (a non-empty template) for `dialect`; never fails: errors are kept and
    /// reported by the deliveries that use it.
    pub fn new(source: &str, dialect: Dialect) -> PreparedTemplate {
        let options = CompileOptions {
            dialect,
            ..CompileOptions::default()
        };
        PreparedTemplate {
            source: source.to_string(),
            dialect,
            is_json: template_is_json(Some(source)),
            compiled: compile(source, &options),
        }
    }

    /// The template source.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Sources longer than this are prepared per delivery, not kept: the cache stays small
/// (at most [`TemplateCache::new`]'s capacity × this, plus the compiled forms).
pub const CACHE_MAX_SOURCE_BYTES: usize = 64 * 1024;

/// Prepared templates by source and dialect, least recently used first, evicted beyond a
/// fixed capacity. For [`super::build_delivery_cached`].
#[derive(Debug)]
pub struct TemplateCache {
    entries: Vec<Rc<PreparedTemplate>>,
    capacity: usize,
}

impl Default for TemplateCache {
    fn default() -> Self {
        TemplateCache::new(16)
    }
}

impl TemplateCache {
    /// An empty cache keeping at most `capacity` templates (at least one).
    pub fn new(capacity: usize) -> TemplateCache {
        TemplateCache {
            entries: Vec::new(),
            capacity: capacity.max(1),
        }
    }

    /// Number of templates kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The prepared form of `source` for `dialect`, prepared now if it is not kept.
    pub fn get(&mut self, source: &str, dialect: Dialect) -> Rc<PreparedTemplate> {
        let found = self
            .entries
            .iter()
            .position(|t| t.dialect == dialect && t.source == source);
        if let Some(i) = found {
            let entry = self.entries.remove(i);
            self.entries.push(entry.clone());
            return entry;
        }
        let prepared = Rc::new(PreparedTemplate::new(source, dialect));
        if source.len() <= CACHE_MAX_SOURCE_BYTES {
            if self.entries.len() >= self.capacity {
                self.entries.remove(0);
            }
            self.entries.push(prepared.clone());
        }
        prepared
    }
}
