//! Delivery emulation (being built).
