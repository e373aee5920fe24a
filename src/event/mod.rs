//! event (being built).
