//! What pages show: the view models that handlers fill and the Askama templates that render
//! them. Nothing here reads a request or the database; `routes` hands in what a page needs.

pub mod assets;
mod campaign;
pub mod staff;

pub use campaign::*;
