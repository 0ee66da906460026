//! Screenshots as pixels: PNG in and out (the `png` crate), the comparison with a
//! tolerance, and the image that shows where two screenshots differ.

use std::fmt;

/// An image as 8-bit RGBA rows, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Image {
    fn pixel(&self, x: u32, y: u32) -> Option<&[u8]> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = (y as usize * self.width as usize + x as usize) * 4;
        Some(&self.rgba[i..i + 4])
    }
}

/// Read a PNG of any colour type and bit depth as 8-bit RGBA.
pub fn decode(bytes: &[u8]) -> Result<Image, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![
        0;
        reader
            .output_buffer_size()
            .ok_or("the image is too large")?
    ];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Indexed => return Err("an indexed image after expansion".into()),
    };
    Ok(Image {
        width: info.width,
        height: info.height,
        rgba,
    })
}

/// Write an image as an RGBA PNG.
pub fn encode(image: &Image) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .expect("writing a PNG header to memory works");
        writer
            .write_image_data(&image.rgba)
            .expect("the buffer holds width × height RGBA pixels");
    }
    out
}

/// How different two screenshots may be and still match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// A pixel differs when one of its channels (R, G, B, A; 0–255) differs by more.
    pub threshold: u8,
    /// The screenshots match when at most this share of their pixels (0.0–1.0) differ.
    pub max_share: f64,
}

impl Default for Tolerance {
    /// A channel may move by 16 of 255 (anti-aliasing, a colour rounded differently),
    /// and 0.01 % of the pixels may differ more (about 100 at 1280 × 800: a few glyph
    /// edges, never a word).
    fn default() -> Self {
        Tolerance {
            threshold: 16,
            max_share: 0.0001,
        }
    }
}

/// What a comparison found.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The accepted and the new size, when they differ.
    pub sizes: Option<((u32, u32), (u32, u32))>,
    /// Pixels beyond the threshold (every pixel of either image, when the sizes differ).
    pub pixels: u64,
    pub total: u64,
}

impl Difference {
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.pixels as f64 / self.total as f64
        }
    }

    pub fn within(&self, t: Tolerance) -> bool {
        self.sizes.is_none() && self.share() <= t.max_share
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(((aw, ah), (bw, bh))) = self.sizes {
            return write!(f, "size {aw}×{ah} became {bw}×{bh}");
        }
        write!(
            f,
            "{} of {} pixels differ ({:.3} %)",
            self.pixels,
            self.total,
            self.share() * 100.0
        )
    }
}

/// Compare the accepted image with the new one: how many pixels differ beyond
/// `threshold`, and an image of the accepted one, faded to grey, with those pixels red.
pub fn compare(accepted: &Image, new: &Image, threshold: u8) -> (Difference, Image) {
    let width = accepted.width.max(new.width);
    let height = accepted.height.max(new.height);
    let mut rgba = Vec::with_capacity(width as usize * height as usize * 4);
    let mut pixels = 0u64;
    for y in 0..height {
        for x in 0..width {
            let (a, b) = (accepted.pixel(x, y), new.pixel(x, y));
            let differs = match (a, b) {
                (Some(a), Some(b)) => a.iter().zip(b).any(|(p, q)| p.abs_diff(*q) > threshold),
                _ => true,
            };
            if differs {
                pixels += 1;
                rgba.extend_from_slice(&[255, 0, 0, 255]);
            } else {
                let p = a.expect("both images have a pixel that does not differ");
                // Luma, faded three quarters of the way to white: the page stays legible
                // behind the red.
                let luma = (299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32) / 1000;
                let faded = (255 - (255 - luma) / 4) as u8;
                rgba.extend_from_slice(&[faded, faded, faded, 255]);
            }
        }
    }
    let sizes = (accepted.width != new.width || accepted.height != new.height)
        .then_some(((accepted.width, accepted.height), (new.width, new.height)));
    let diff = Difference {
        sizes,
        pixels,
        total: width as u64 * height as u64,
    };
    (
        diff,
        Image {
            width,
            height,
            rgba,
        },
    )
}
