//! Cal.com webhook events: every trigger and its payload shape described once, as data
//! ([`trigger`], [`shape`]), and everything derived from that description: validation,
//! parsing, samples, JSON Schema, TypeScript declarations and template variables.

pub mod shape;
pub mod trigger;

pub use shape::{Field, Shape, Ty};
pub use trigger::{trigger, TemplateData, TriggerInfo, TRIGGERS};
