//! "Did you mean …?": the closest of a list of names to one that is not in it.

/// The closest candidate within a distance that still reads as a typo: optimal string
/// alignment distance (an adjacent transposition counts as one edit, so `brnad` is one
/// edit from `brand`), case-insensitive, at most a third of the name's length (1 to 3).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_name() {
        assert_eq!(closest("brnad", ["brand", "env"]), Some("brand"));
        assert_eq!(closest("BRAND", ["brand"]), Some("brand"));
        assert_eq!(
            closest("bgImgUrl", ["bgImageUrl", "faviconUrl"]),
            Some("bgImageUrl")
        );
        assert_eq!(closest("zzzzzz", ["brand"]), None);
        // Ties go to the first in order.
        assert_eq!(closest("ab", ["ac", "aa"]), Some("aa"));
    }
}
