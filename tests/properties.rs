//! Property tests (stable Rust, run in CI).

use proptest::prelude::*;
use signin_pages::render::okta_tags::{CLOSE, OPEN, mask, unmask};

fn text() -> impl Strategy<Value = String> {
    // Mustache-heavy text: braces, sigils, Okta names, spaces and anything else.
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("{{".to_string()),
            Just("}}}".to_string()),
            Just("#".to_string()),
            Just("/".to_string()),
            Just(" ".to_string()),
            Just("pageTitle".to_string()),
            Just("useSiwGen3".to_string()),
            Just("SignInWidgetResources".to_string()),
            "[a-zA-Z_ ]{0,6}",
            any::<String>(),
        ],
        0..40,
    );
    pieces.prop_map(|p| p.concat().replace([OPEN as char, CLOSE as char], ""))
}

proptest! {
    #[test]
    fn mask_then_unmask_is_the_identity(s in text()) {
        let masked = mask(&s).unwrap();
        prop_assert_eq!(masked.len(), s.len());
        prop_assert_eq!(unmask(masked), s);
    }

    #[test]
    fn masking_keeps_every_offset(s in text()) {
        let masked = mask(&s).unwrap();
        for (a, b) in s.bytes().zip(masked.bytes()) {
            let same = a == b || (a == b'{' && b == OPEN) || (a == b'}' && b == CLOSE);
            prop_assert!(same, "byte {} became {}", a, b);
        }
    }

    #[test]
    fn input_with_a_reserved_byte_is_refused(a in any::<String>(), b in any::<String>(), open in any::<bool>()) {
        let c = if open { OPEN } else { CLOSE } as char;
        let s = format!("{a}{c}{b}");
        prop_assert!(mask(&s).is_err());
    }
}
