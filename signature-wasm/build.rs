//! A 64 KiB stack instead of the linker's default 1 MiB: the module's deepest frame is a few
//! kilobytes, and every instance would otherwise reserve 17 pages of memory it never uses.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=65536");
    }
}
