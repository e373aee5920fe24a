//! Why a signature fails: each likely cause is found by actually testing it.

/// A likely cause of a failed signature check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    /// Stable machine-readable code.
    pub code: CauseCode,
    /// What went wrong and what to fix.
    pub message: String,
}

/// Stable codes of [`Cause`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CauseCode {}

/// The likely causes of `header` not matching `body` under `secret`.
pub fn diagnose(_body: &[u8], _header: Option<&str>, _secret: &[u8]) -> Vec<Cause> {
    Vec::new()
}
