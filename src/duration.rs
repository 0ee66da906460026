//! ISO 8601 durations (`P30D`, `PT12H`), as Okta's policies take them. Okta answers a
//! duration in its own units (`P30D` comes back `PT720H`), so durations compare by value.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Years,
    Months,
    Weeks,
    Days,
    Hours,
    Minutes,
    Seconds,
}

impl Unit {
    /// Seconds in one unit; `None` for years and months, which have no fixed length.
    fn seconds(self) -> Option<u128> {
        match self {
            Unit::Years | Unit::Months => None,
            Unit::Weeks => Some(604_800),
            Unit::Days => Some(86_400),
            Unit::Hours => Some(3_600),
            Unit::Minutes => Some(60),
            Unit::Seconds => Some(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    unit: Unit,
    whole: u64,
    /// Decimal digits after the separator (at most 9), empty when none.
    frac: String,
}

/// An ISO 8601 duration, `PnYnMnWnDTnHnMnS`.
///
/// Rules (ISO 8601-1): it starts with `P`; at least one number-and-unit follows; units
/// appear once each, in the order Y M W D, then `T` and H M S; `T` must be followed by a
/// time unit; only the last value may have a fraction (`.` or `,`, at most 9 digits); no
/// sign. Weeks stand alone (`P2W`): `P1Y2W` and `P2W3D` are refused, as in ISO 8601-1
/// (ISO 8601-2 allows the mix; Okta's own regex is broken and accepts only `P`, so this
/// parser does not follow it). Years and months have no fixed length: two durations
/// compare by value only when neither uses them ([`IsoDuration::same_value`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsoDuration {
    text: String,
    parts: Vec<Part>,
}

impl IsoDuration {
    /// Parse, or say what is wrong in a phrase that completes "… is not an ISO 8601
    /// duration: ".
    pub fn parse(s: &str) -> Result<IsoDuration, String> {
        if s.is_empty() {
            return Err("it is empty".into());
        }
        if s.starts_with(['-', '+']) {
            return Err("a duration cannot carry a sign".into());
        }
        let Some(body) = s.strip_prefix('P') else {
            if s.starts_with('p') {
                return Err("write the designators in upper case (`P30D`, `PT12H`)".into());
            }
            return Err("it must start with `P`".into());
        };
        if body.is_empty() {
            return Err("`P` alone has no value: write at least one number and unit".into());
        }
        let (date, time) = match body.split_once('T') {
            Some((_, "")) => {
                return Err(
                    "`T` must be followed by hours, minutes or seconds (e.g. `PT12H`)".into(),
                );
            }
            Some((d, t)) => (d, Some(t)),
            None => (body, None),
        };
        let mut parts = Vec::new();
        section(date, false, &mut parts)?;
        if let Some(t) = time {
            section(t, true, &mut parts)?;
        }
        if let Some(i) = parts.iter().position(|p| !p.frac.is_empty())
            && i + 1 != parts.len()
        {
            return Err("only the last value may have a fraction".into());
        }
        if parts.len() > 1 && parts.iter().any(|p| p.unit == Unit::Weeks) {
            return Err(
                "weeks (`W`) cannot be combined with other units (ISO 8601-1): write days instead, e.g. `P17D` for `P2W3D`"
                    .into(),
            );
        }
        Ok(IsoDuration {
            text: s.to_string(),
            parts,
        })
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether it uses years or months (no fixed length).
    pub fn calendar(&self) -> bool {
        self.parts.iter().any(|p| p.unit.seconds().is_none())
    }

    /// Whether a value has a fraction (`PT1.5H`).
    pub fn fractional(&self) -> bool {
        self.parts.iter().any(|p| !p.frac.is_empty())
    }

    /// The length in nanoseconds; `None` when it uses years or months.
    pub fn nanos(&self) -> Option<u128> {
        let mut total: u128 = 0;
        for p in &self.parts {
            let secs = p.unit.seconds()?;
            total += u128::from(p.whole) * secs * 1_000_000_000;
            if !p.frac.is_empty() {
                let f: u128 = format!("{:0<9}", p.frac).parse().ok()?;
                total += f * secs;
            }
        }
        Some(total)
    }

    /// Whole seconds (rounded down); `None` when it uses years or months.
    pub fn seconds(&self) -> Option<u64> {
        self.nanos()
            .map(|n| u64::try_from(n / 1_000_000_000).unwrap_or(u64::MAX))
    }

    /// The same length: by value when both have a fixed length, by text otherwise.
    pub fn same_value(&self, other: &IsoDuration) -> bool {
        match (self.nanos(), other.nanos()) {
            (Some(a), Some(b)) => a == b,
            _ => self.text == other.text,
        }
    }

    /// For people: `30 days`, `1 day 12 hours`, `1 hour 30 minutes`.
    pub fn describe(&self) -> String {
        let Some(nanos) = self.nanos() else {
            return self.text.clone();
        };
        if nanos % 1_000_000_000 != 0 {
            return format!("{} seconds", nanos as f64 / 1e9);
        }
        let mut secs = nanos / 1_000_000_000;
        if secs == 0 {
            return "0 seconds".into();
        }
        let mut out = Vec::new();
        for (size, name) in [
            (86_400, "day"),
            (3_600, "hour"),
            (60, "minute"),
            (1, "second"),
        ] {
            let n = secs / size;
            secs %= size;
            if n > 0 {
                out.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
            }
        }
        out.join(" ")
    }
}

/// One side of `T`: numbers followed by units in order.
fn section(text: &str, time: bool, out: &mut Vec<Part>) -> Result<(), String> {
    let units: &[(char, Unit)] = if time {
        &[
            ('H', Unit::Hours),
            ('M', Unit::Minutes),
            ('S', Unit::Seconds),
        ]
    } else {
        &[
            ('Y', Unit::Years),
            ('M', Unit::Months),
            ('W', Unit::Weeks),
            ('D', Unit::Days),
        ]
    };
    let mut next = 0;
    let mut num = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            num.push(c);
            continue;
        }
        let Some(i) = units.iter().position(|(u, _)| *u == c) else {
            return Err(match c {
                'H' | 'S' if !time => {
                    format!("`{c}` is a time unit: put `T` before it (e.g. `PT12H`)")
                }
                'Y' | 'W' | 'D' if time => {
                    format!("`{c}` is a date unit: it goes before `T` (e.g. `P1DT12H`)")
                }
                'T' => "`T` appears twice".into(),
                c if c.is_ascii_lowercase() => {
                    "write the designators in upper case (`P30D`, `PT12H`)".into()
                }
                c => format!(
                    "`{c}` is not a duration unit (Y, M, W, D before `T`; H, M, S after it)"
                ),
            });
        };
        if num.is_empty() {
            return Err(format!("`{c}` has no number before it"));
        }
        if i < next {
            return Err(format!(
                "units come once each, in the order {}",
                if time {
                    "H, M, S (after `T`)"
                } else {
                    "Y, M, W, D"
                }
            ));
        }
        let (whole, frac) = num.split_once(['.', ',']).unwrap_or((num.as_str(), ""));
        if whole.is_empty()
            || (whole.len() < num.len() && frac.is_empty())
            || frac.contains(['.', ','])
        {
            return Err(format!("`{num}` is not a number"));
        }
        if frac.len() > 9 {
            return Err(format!("`{num}` has more than 9 decimal places"));
        }
        let whole: u64 = whole.parse().map_err(|_| format!("`{num}` is too large"))?;
        out.push(Part {
            unit: units[i].1,
            whole,
            frac: frac.to_string(),
        });
        next = i + 1;
        num.clear();
    }
    if !num.is_empty() {
        return Err(format!("`{num}` has no unit after it"));
    }
    Ok(())
}

/// Whether two duration texts name the same length (by value when both parse and have
/// a fixed length; by text otherwise).
pub fn same_duration(a: &str, b: &str) -> bool {
    match (IsoDuration::parse(a), IsoDuration::parse(b)) {
        (Ok(x), Ok(y)) => x.same_value(&y),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> IsoDuration {
        IsoDuration::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn durations_parse() {
        for ok in [
            "P30D",
            "PT720H",
            "P1W",
            "P2W",
            "PT12H",
            "P1DT12H",
            "PT1H30M",
            "PT0S",
            "P1Y",
            "P1Y2M3DT4H5M6S",
            "PT1.5H",
            "PT0,5S",
            "P0D",
        ] {
            assert!(IsoDuration::parse(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("P", "`P` alone"),
            ("PT", "`T` must be followed"),
            ("P1DT", "`T` must be followed"),
            ("30D", "start with `P`"),
            ("p30d", "upper case"),
            ("-P1D", "sign"),
            ("P1Y2W", "weeks"),
            ("P2W3D", "weeks"),
            ("P1H", "time unit"),
            ("PT1D", "date unit"),
            ("PT1M1H", "order"),
            ("P1D1D", "order"),
            ("PD", "no number"),
            ("P30", "no unit"),
            ("P1.5DT2H", "last value"),
            ("PT1.H", "not a number"),
            ("PT.5H", "not a number"),
            ("PT1.2.3H", "not a number"),
            ("P1X", "not a duration unit"),
            ("PT1HT2M", "twice"),
            ("PT1.1234567891S", "9 decimal"),
            ("P99999999999999999999D", "too large"),
        ] {
            let e = IsoDuration::parse(bad).expect_err(bad);
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn durations_compare_by_value() {
        assert!(d("P30D").same_value(&d("PT720H")));
        assert!(d("P1W").same_value(&d("PT168H")));
        assert!(d("P7D").same_value(&d("P1W")));
        assert!(d("PT1.5H").same_value(&d("PT90M")));
        assert!(d("PT1H30M").same_value(&d("PT5400S")));
        assert!(!d("P30D").same_value(&d("PT721H")));
        // Months have no fixed length: only the same text is the same.
        assert!(!d("P1M").same_value(&d("P30D")));
        assert!(d("P1M").same_value(&d("P1M")));
        assert!(same_duration("P30D", "PT720H"));
        assert!(!same_duration("P30D", "junk"));
        assert_eq!(d("P30D").describe(), "30 days");
        assert_eq!(d("PT90M").describe(), "1 hour 30 minutes");
        assert_eq!(d("P1DT1S").describe(), "1 day 1 second");
        assert_eq!(d("PT720H").seconds(), Some(2_592_000));
        assert_eq!(d("P1Y").seconds(), None);
    }
}
