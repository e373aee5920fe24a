use calhook::json;
use calhook::template::{render, CompileOptions};
fn main() {
    let data = json::parse(r#"{"a":1e400,"b":-1e400,"l":[1e400,-1e400,1],"o":{"x":1e400},"x":"p"}"#).unwrap();
    for s in std::env::args().skip(1) {
        println!("{s} => {:?}", render(&s, &data, &CompileOptions::default()));
    }
}
