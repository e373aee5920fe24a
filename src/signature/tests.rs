use super::*;

#[test]
fn sign_without_secret_is_the_literal() {
    assert_eq!(sign(b"x", None), NO_SECRET_PROVIDED);
    assert_eq!(sign(b"x", Some(b"")), NO_SECRET_PROVIDED);
}
