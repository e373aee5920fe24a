//! json (being built).
