//! The one clock of the files the org-side workflow writes (backup names, `takenAt`,
//! the preview pin's `at`): UTC to the millisecond, sortable as text and safe in file
//! names (`20261127T051502.123Z`), formatted by `jiff`.

use jiff::Timestamp;

/// Now, as `20261127T051502.123Z`.
pub fn timestamp() -> String {
    stamp(Timestamp::now())
}

fn stamp(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_sort_as_text_and_name_files() {
        let at = |ms: i64| stamp(Timestamp::from_millisecond(ms).unwrap());
        assert_eq!(at(0), "19700101T000000.000Z");
        assert_eq!(at(1_795_756_502_007), "20261127T051502.007Z");
        assert!(at(1_795_756_502_007) < at(1_795_756_502_010));
    }
}
