//! webhook (being built).
