//! The lint domain's stable machine-readable codes (the strings JS and the command line see).

use std::fmt;

/// What a [`super::Diagnostic`] found. [`LintCode::as_str`] is the stable code; new codes may
/// be added, so match with a wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LintCode {
    /// Handlebars cannot parse the template: nothing is sent.
    TemplateSyntax,
    /// The API reference's JavaScript-style index `{{a[0].b}}` (fix: `{{a.0.b}}`).
    ReferenceIndexSyntax,
    /// `{"a": {{x}}}` closes a triple-stash (fix: `{{x}} }`).
    TripleClose,
    /// A number as the last path segment `{{arr.0}}` (fix: `{{arr.[0]}}`).
    NumericSegment,
    /// The template exceeds the engine's size or nesting limits.
    TemplateLimit,
    /// `{{payload.uid}}` on flat booking data, where it renders empty (fix: `{{uid}}`).
    ReferencePayloadPrefix,
    /// Free text inside a JSON string can turn the body into `false`.
    JsonBreakingValue,
    /// `{{x}}` HTML-escapes a URL or free text (fix: `{{{x}}}`).
    HtmlEntity,
    /// An object renders as `[object Object]` (fix: pick one of its fields).
    ObjectRender,
    /// The body is sent form-urlencoded, not as JSON.
    NotJsonTemplate,
    /// A helper Cal.com does not register: `Missing helper`.
    UnknownHelper,
    /// A built-in helper called with the wrong arguments or as a value.
    HelperUsage,
    /// Partials and decorators, which Cal.com cannot run.
    Unsupported,
    /// With a trigger: a path its payload does not have.
    UnknownVariable,
    /// The given trigger is not known.
    UnknownTrigger,
}

impl LintCode {
    /// Every code, in the order of the table in the module documentation.
    pub const ALL: &'static [LintCode] = &[
        LintCode::TemplateSyntax,
        LintCode::ReferenceIndexSyntax,
        LintCode::TripleClose,
        LintCode::NumericSegment,
        LintCode::TemplateLimit,
        LintCode::ReferencePayloadPrefix,
        LintCode::JsonBreakingValue,
        LintCode::HtmlEntity,
        LintCode::ObjectRender,
        LintCode::NotJsonTemplate,
        LintCode::UnknownHelper,
        LintCode::HelperUsage,
        LintCode::Unsupported,
        LintCode::UnknownVariable,
        LintCode::UnknownTrigger,
    ];

    /// The stable code string: `TEMPLATE_SYNTAX`, `REFERENCE_PAYLOAD_PREFIX`, …
    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::TemplateSyntax => "TEMPLATE_SYNTAX",
            LintCode::ReferenceIndexSyntax => "REFERENCE_INDEX_SYNTAX",
            LintCode::TripleClose => "TRIPLE_CLOSE",
            LintCode::NumericSegment => "NUMERIC_SEGMENT",
            LintCode::TemplateLimit => "TEMPLATE_LIMIT",
            LintCode::ReferencePayloadPrefix => "REFERENCE_PAYLOAD_PREFIX",
            LintCode::JsonBreakingValue => "JSON_BREAKING_VALUE",
            LintCode::HtmlEntity => "HTML_ENTITY",
            LintCode::ObjectRender => "OBJECT_RENDER",
            LintCode::NotJsonTemplate => "NOT_JSON_TEMPLATE",
            LintCode::UnknownHelper => "UNKNOWN_HELPER",
            LintCode::HelperUsage => "HELPER_USAGE",
            LintCode::Unsupported => "UNSUPPORTED",
            LintCode::UnknownVariable => "UNKNOWN_VARIABLE",
            LintCode::UnknownTrigger => "UNKNOWN_TRIGGER",
        }
    }
}

impl fmt::Display for LintCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `diagnostic.code == "UNKNOWN_VARIABLE"` compares the stable string.
impl PartialEq<str> for LintCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// `diagnostic.code == "UNKNOWN_VARIABLE"` compares the stable string.
impl PartialEq<&str> for LintCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::LintCode;

    #[test]
    fn codes_are_distinct_screaming_snake_case() {
        for (i, code) in LintCode::ALL.iter().enumerate() {
            assert!(code
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_'));
            assert!(LintCode::ALL[..i]
                .iter()
                .all(|c| c.as_str() != code.as_str()));
            assert_eq!(code.to_string(), code.as_str());
        }
    }

    #[test]
    fn the_module_table_lists_every_code() {
        let doc = include_str!("mod.rs");
        for code in LintCode::ALL {
            assert!(
                doc.contains(&format!("//! | `{}` |", code.as_str())),
                "{code} missing from the table in src/lint/mod.rs"
            );
        }
    }

    /// The TypeScript `LintCode` union (js/types/20-template.d.ts) is exactly this table, in
    /// its order, so a new code cannot reach JS untyped.
    #[test]
    fn the_typescript_union_is_the_table() {
        let types = include_str!("../../js/types/20-template.d.ts");
        let start = types
            .find("export type LintCode =")
            .expect("LintCode union in js/types/20-template.d.ts");
        let end = start + types[start..].find(';').expect("end of the LintCode union");
        let listed: Vec<&str> = types[start..end]
            .split('|')
            .skip(1)
            .map(|member| member.trim().trim_matches('\''))
            .collect();
        let table: Vec<&str> = LintCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, table);
    }
}
