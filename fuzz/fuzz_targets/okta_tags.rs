//! The Okta-tag mask: `unmask(mask(s)) == s`, same length, every tag range a valid
//! slice, and the checks' same-length stub.
#![no_main]

use libfuzzer_sys::fuzz_target;
use signin_pages::check::page::stub;
use signin_pages::okta_tags::{CLOSE, OPEN, find_reserved, find_tags, mask, unmask};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match mask(s) {
        Ok(m) => {
            assert_eq!(m.len(), s.len());
            assert_eq!(unmask(m), s);
        }
        Err(r) => {
            let b = s.as_bytes()[r.offset];
            assert!(b == OPEN || b == CLOSE);
            assert_eq!(find_reserved(s), Some(r));
        }
    }
    for known_only in [true, false] {
        for t in find_tags(s, known_only) {
            assert!(
                s.get(t.range.clone()).is_some(),
                "tag range {:?} is not a slice",
                t.range
            );
        }
    }
    assert_eq!(stub(s).len(), s.len());
});
