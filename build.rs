//! `embed_migrations!` reads `migrations/` while compiling, but Cargo does not know that: a
//! migration added without touching a Rust file would be left out of the binary.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
