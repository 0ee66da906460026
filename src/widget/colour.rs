//! CSS colours and the WCAG 2.x contrast rule: parse a colour as a page writes it
//! (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`, `hsl()`/`hsla()`, a named
//! colour, `transparent`), lay a translucent colour over the one beneath it, and compute
//! the contrast ratio of text on a background from their relative luminance.
//!
//! Colours a page leaves to run time (`var(--x)`, `currentcolor`, `color-mix(…)`) and the
//! newer colour spaces (`lab()`, `oklch()`, `color()`) parse to `None`: a check skips
//! what it cannot compute rather than guess. The design-token checks use this module, and
//! so can any other rule that applies "the same WCAG rule" (a brand theme's colours).

use std::fmt;

/// An sRGB colour: channels 0–255 (fractions allowed, as `rgb(12.5 …)` writes them) and
/// an alpha 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    pub r: f64,
    pub g: f64,
    pub b: f64,
    pub a: f64,
}

/// The minimum WCAG 2.x AA asks of normal text (success criterion 1.4.3).
pub const AA_NORMAL_TEXT: f64 = 4.5;

/// White, the widget's card ("SIW always has a white background color").
pub const WHITE: Rgba = Rgba::opaque(255.0, 255.0, 255.0);

impl Rgba {
    pub const fn opaque(r: f64, g: f64, b: f64) -> Rgba {
        Rgba { r, g, b, a: 1.0 }
    }

    /// A CSS colour, or `None` for one that cannot be known before run time or that
    /// this module does not compute (see the module's notes).
    pub fn parse(css: &str) -> Option<Rgba> {
        let s = css.trim().to_ascii_lowercase();
        if let Some(hex) = s.strip_prefix('#') {
            let (r, g, b, a) = cssparser::color::parse_hash_color(hex.as_bytes()).ok()?;
            return Some(Rgba {
                r: f64::from(r),
                g: f64::from(g),
                b: f64::from(b),
                a: f64::from(a),
            });
        }
        if s == "transparent" {
            return Some(Rgba {
                r: 0.0,
                g: 0.0,
                b: 0.0,
                a: 0.0,
            });
        }
        if let Ok((r, g, b)) = cssparser::color::parse_named_color(&s) {
            return Some(Rgba::opaque(f64::from(r), f64::from(g), f64::from(b)));
        }
        let (name, args) = s.strip_suffix(')')?.split_once('(')?;
        let args = arguments(args)?;
        match name.trim() {
            "rgb" | "rgba" => rgb(&args),
            "hsl" | "hsla" => hsl(&args),
            _ => None,
        }
    }

    /// Whether `css` is a colour [`Rgba::parse`] can read (named colours included).
    pub fn is_named(css: &str) -> bool {
        let s = css.trim().to_ascii_lowercase();
        s == "transparent" || cssparser::color::parse_named_color(&s).is_ok()
    }

    /// This colour laid over `below` (source-over compositing): what the eye sees.
    pub fn over(self, below: Rgba) -> Rgba {
        let a = self.a + below.a * (1.0 - self.a);
        if a <= 0.0 {
            return Rgba {
                r: 0.0,
                g: 0.0,
                b: 0.0,
                a: 0.0,
            };
        }
        let mix = |top: f64, bottom: f64| (top * self.a + bottom * below.a * (1.0 - self.a)) / a;
        Rgba {
            r: mix(self.r, below.r),
            g: mix(self.g, below.g),
            b: mix(self.b, below.b),
            a,
        }
    }

    /// WCAG 2.x relative luminance of the colour's RGB (alpha ignored: compose first).
    pub fn luminance(self) -> f64 {
        let linear = |c: f64| {
            let c = (c / 255.0).clamp(0.0, 1.0);
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }
}

/// The contrast ratio (1 to 21) of `text` drawn on `background`, as WCAG 2.x defines
/// it. A translucent background is first laid on the widget's white card, then a
/// translucent text colour on that background.
pub fn contrast(text: Rgba, background: Rgba) -> f64 {
    let bg = background.over(WHITE);
    let fg = text.over(bg);
    let (l1, l2) = (fg.luminance(), bg.luminance());
    let (hi, lo) = if l1 >= l2 { (l1, l2) } else { (l2, l1) };
    (hi + 0.05) / (lo + 0.05)
}

/// A ratio as people read it, never rounded up past what it is (WCAG's thresholds are
/// exact: 4.499 fails 4.5): `4.48:1`, `21:1`.
pub struct Ratio(pub f64);

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = (self.0 * 100.0).floor() / 100.0;
        let s = format!("{hundredths:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{s}:1")
    }
}

/// The arguments of `rgb(…)` / `hsl(…)`: comma-separated (`1, 2, 3, 0.5`) or
/// space-separated with an optional `/ alpha` (`1 2 3 / 50%`); 3 or 4 of them.
fn arguments(args: &str) -> Option<Vec<&str>> {
    let (main, alpha) = match args.split_once('/') {
        Some((m, a)) => (m, Some(a.trim())),
        None => (args, None),
    };
    let mut parts: Vec<&str> = if main.contains(',') {
        main.split(',').map(str::trim).collect()
    } else {
        main.split_whitespace().collect()
    };
    if let Some(a) = alpha {
        if parts.len() != 3 {
            return None;
        }
        parts.push(a);
    }
    (matches!(parts.len(), 3 | 4) && parts.iter().all(|p| !p.is_empty())).then_some(parts)
}

/// A CSS number, or a percentage as a fraction of `full`.
fn number_or_percent(s: &str, full: f64) -> Option<f64> {
    let n = match s.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().ok()? / 100.0 * full,
        None => s.parse::<f64>().ok()?,
    };
    n.is_finite().then_some(n)
}

fn alpha(args: &[&str]) -> Option<f64> {
    match args.get(3) {
        Some(a) => Some(number_or_percent(a, 1.0)?.clamp(0.0, 1.0)),
        None => Some(1.0),
    }
}

fn rgb(args: &[&str]) -> Option<Rgba> {
    let c = |i: usize| Some(number_or_percent(args[i], 255.0)?.clamp(0.0, 255.0));
    Some(Rgba {
        r: c(0)?,
        g: c(1)?,
        b: c(2)?,
        a: alpha(args)?,
    })
}

fn hsl(args: &[&str]) -> Option<Rgba> {
    let hue = args[0].strip_suffix("deg").unwrap_or(args[0]);
    let h = hue
        .parse::<f64>()
        .ok()
        .filter(|h| h.is_finite())?
        .rem_euclid(360.0);
    let s = number_or_percent(args[1], 100.0)?.clamp(0.0, 100.0) / 100.0;
    let l = number_or_percent(args[2], 100.0)?.clamp(0.0, 100.0) / 100.0;
    // CSS Color 4's hslToRgb.
    let f = |n: f64| {
        let k = (n + h / 30.0) % 12.0;
        let a = s * l.min(1.0 - l);
        (l - a * (k - 3.0).min(9.0 - k).clamp(-1.0, 1.0)) * 255.0
    };
    Some(Rgba {
        r: f(0.0),
        g: f(8.0),
        b: f(4.0),
        a: alpha(args)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(text: &str, bg: &str) -> String {
        let t = Rgba::parse(text).unwrap_or_else(|| panic!("{text}"));
        let b = Rgba::parse(bg).unwrap_or_else(|| panic!("{bg}"));
        Ratio(contrast(t, b)).to_string()
    }

    #[test]
    fn known_ratios() {
        assert_eq!(ratio("#000", "#fff"), "21:1");
        assert_eq!(ratio("#fff", "#000"), "21:1");
        // #777 on white is 4.478:1 (4.48 rounded), shown as 4.47 so that it never reads
        // as more than it is.
        let grey = contrast(Rgba::parse("#777").unwrap(), WHITE);
        assert!((grey - 4.48).abs() < 0.005, "{grey}");
        assert_eq!(ratio("#777", "#fff"), "4.47:1");
        assert_eq!(ratio("#777777", "white"), ratio("#777", "#ffffff"));
        assert_eq!(ratio("#fff", "#fff"), "1:1");
        // Odyssey's primary button: white on #1662dd (5.4898:1, by hand).
        assert_eq!(ratio("#ffffff", "#1662dd"), "5.48:1");
        assert!(contrast(Rgba::parse("#767676").unwrap(), WHITE) >= AA_NORMAL_TEXT);
        assert!(contrast(Rgba::parse("#777").unwrap(), WHITE) < AA_NORMAL_TEXT);
    }

    #[test]
    fn every_syntax_reads_the_same_colour() {
        let want = Rgba::opaque(255.0, 0.0, 0.0);
        for s in [
            "#f00",
            "#F00F",
            "#ff0000",
            "#ff0000ff",
            "red",
            "RED",
            "rgb(255, 0, 0)",
            "rgba(255,0,0,1)",
            "rgb(255 0 0)",
            "rgb(255 0 0 / 100%)",
            "rgb(100%, 0%, 0%)",
            "hsl(0, 100%, 50%)",
            "hsl(360deg 100% 50%)",
            "hsla(0, 100%, 50%, 1)",
        ] {
            let c = Rgba::parse(s).unwrap_or_else(|| panic!("{s}"));
            for (x, y) in [(c.r, want.r), (c.g, want.g), (c.b, want.b), (c.a, want.a)] {
                assert!((x - y).abs() < 1e-9, "{s}: {c:?}");
            }
        }
    }

    #[test]
    fn colours_left_to_run_time_are_not_guessed() {
        for s in [
            "var(--brand)",
            "currentcolor",
            "color-mix(in srgb, red, blue)",
            "oklch(0.7 0.1 200)",
            "#12345",
            "rgb(1, 2)",
            "rgb(a, b, c)",
            "notacolour",
            "",
        ] {
            assert_eq!(Rgba::parse(s), None, "{s}");
        }
    }

    #[test]
    fn alpha_is_composed_over_the_background() {
        // Black at 50% on white is mid grey (#808080 within rounding).
        let half = Rgba::parse("rgba(0, 0, 0, 0.5)").unwrap();
        let seen = half.over(WHITE);
        assert!((seen.r - 127.5).abs() < 1e-9 && seen.a == 1.0, "{seen:?}");
        assert_eq!(
            Ratio(contrast(half, WHITE)).to_string(),
            ratio("rgb(127.5, 127.5, 127.5)", "#fff")
        );
        // #rrggbbaa: 00 is fully transparent, so the text is the background: 1:1.
        assert_eq!(ratio("#00000000", "#fff"), "1:1");
        // A transparent background is the white card.
        assert_eq!(ratio("#000", "transparent"), "21:1");
        assert_eq!(ratio("#000", "#0000"), "21:1");
    }

    #[test]
    fn ratios_are_never_rounded_up() {
        assert_eq!(Ratio(4.4999).to_string(), "4.49:1");
        assert_eq!(Ratio(4.5).to_string(), "4.5:1");
        assert_eq!(Ratio(2.9).to_string(), "2.9:1");
    }
}
