//! What an image file is, from its header: the format by its magic bytes (never by its
//! extension) and its dimensions — PNG's IHDR, GIF's logical screen, JPEG's SOF marker,
//! ICO's directory (and the PNG header of an entry the directory leaves at "256 or
//! more"). Only the bytes a header needs are read, each read bounded: a truncated,
//! hostile or enormous (sparse) file costs a few hundred bytes and never a panic. The
//! file's size comes from its metadata.

use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};

/// The formats Okta's theme uploads take, and the ones people try instead (named in the
/// message so that "it is an SVG" is said plainly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Ico,
    Svg,
    Webp,
    Bmp,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::Ico => "ICO",
            Format::Svg => "SVG",
            Format::Webp => "WebP",
            Format::Bmp => "BMP",
        }
    }

    /// The `Content-Type` of an upload (and of the preview's answer).
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Gif => "image/gif",
            Format::Ico => "image/x-icon",
            Format::Svg => "image/svg+xml",
            Format::Webp => "image/webp",
            Format::Bmp => "image/bmp",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    /// Width and height in pixels, for the formats whose header gives them (not SVG,
    /// WebP, BMP: those are refused by format anyway). An ICO's are its largest entry's.
    pub size: Option<(u32, u32)>,
    /// ICO only: an entry that is not square (the first one found).
    pub ico_not_square: Option<(u32, u32)>,
}

/// Why the header cannot be read.
#[derive(Debug)]
pub enum HeaderError {
    Io(io::Error),
    /// The file ends inside its header.
    Truncated(Format),
    /// The header is there but makes no sense (a zero size, no SOF marker where one
    /// must be).
    Malformed(Format, &'static str),
    /// None of the formats above.
    Unknown,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::Io(e) => write!(f, "cannot be read: {e}"),
            HeaderError::Truncated(fmt) => write!(f, "is a truncated {fmt} (it ends inside its header)"),
            HeaderError::Malformed(fmt, why) => write!(f, "is not a valid {fmt}: {why}"),
            HeaderError::Unknown => f.write_str(
                "is not an image format Okta takes (its first bytes are not those of PNG, JPEG, GIF or ICO)",
            ),
        }
    }
}

impl From<io::Error> for HeaderError {
    fn from(e: io::Error) -> Self {
        HeaderError::Io(e)
    }
}

/// At most this many JPEG segments are skipped looking for the SOF marker (each costs
/// one 4-byte read and a seek), and this many ICO entries read.
const MAX_JPEG_SEGMENTS: usize = 256;
const MAX_ICO_ENTRIES: usize = 256;

/// Read the header of `file` (positioned anywhere; it is rewound).
pub fn read_header<R: Read + Seek>(file: &mut R) -> Result<Header, HeaderError> {
    file.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 32];
    let n = read_up_to(file, &mut head)?;
    let head = &head[..n];
    let format = sniff(head).ok_or(HeaderError::Unknown)?;
    let plain = |size| Header {
        format,
        size,
        ico_not_square: None,
    };
    match format {
        Format::Png => png_size(head).map(|s| plain(Some(s))),
        Format::Gif => {
            if head.len() < 10 {
                return Err(HeaderError::Truncated(Format::Gif));
            }
            let w = u32::from(u16::from_le_bytes([head[6], head[7]]));
            let h = u32::from(u16::from_le_bytes([head[8], head[9]]));
            nonzero(Format::Gif, w, h).map(|s| plain(Some(s)))
        }
        Format::Jpeg => jpeg_size(file).map(|s| plain(Some(s))),
        Format::Ico => ico(file),
        Format::Svg | Format::Webp | Format::Bmp => Ok(plain(None)),
    }
}

/// The format whose magic bytes `head` starts with.
fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Format::Jpeg);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(Format::Gif);
    }
    // ICONDIR: reserved 0, type 1 (icon), a count of at least one.
    if head.len() >= 6 && head[..4] == [0, 0, 1, 0] && (head[4] != 0 || head[5] != 0) {
        return Some(Format::Ico);
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return Some(Format::Webp);
    }
    if head.starts_with(b"BM") {
        return Some(Format::Bmp);
    }
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("<svg") || t.starts_with("<?xml") {
        return Some(Format::Svg);
    }
    None
}

fn nonzero(format: Format, w: u32, h: u32) -> Result<(u32, u32), HeaderError> {
    if w == 0 || h == 0 {
        return Err(HeaderError::Malformed(
            format,
            "its header gives a size of zero",
        ));
    }
    Ok((w, h))
}

/// The signature, then the IHDR chunk: length, `IHDR`, width and height (big-endian).
fn png_size(head: &[u8]) -> Result<(u32, u32), HeaderError> {
    if head.len() < 24 {
        return Err(HeaderError::Truncated(Format::Png));
    }
    if &head[12..16] != b"IHDR" {
        return Err(HeaderError::Malformed(
            Format::Png,
            "its first chunk is not IHDR",
        ));
    }
    let w = u32::from_be_bytes([head[16], head[17], head[18], head[19]]);
    let h = u32::from_be_bytes([head[20], head[21], head[22], head[23]]);
    nonzero(Format::Png, w, h)
}

/// Walk the markers after SOI to the first start-of-frame (SOF0–SOF15 but DHT, JPG and
/// DAC), skipping each segment by its length.
fn jpeg_size<R: Read + Seek>(file: &mut R) -> Result<(u32, u32), HeaderError> {
    let truncated = || HeaderError::Truncated(Format::Jpeg);
    let mut pos: u64 = 2;
    for _ in 0..MAX_JPEG_SEGMENTS {
        file.seek(SeekFrom::Start(pos))?;
        let mut m = [0u8; 4];
        if read_up_to(file, &mut m)? < 4 {
            return Err(truncated());
        }
        if m[0] != 0xFF {
            return Err(HeaderError::Malformed(
                Format::Jpeg,
                "a segment does not start with a marker",
            ));
        }
        let marker = m[1];
        // Fill bytes: one more 0xFF before the marker.
        if marker == 0xFF {
            pos += 1;
            continue;
        }
        // Markers without a length.
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            pos += 2;
            continue;
        }
        if marker == 0xD9 || marker == 0xDA {
            return Err(HeaderError::Malformed(
                Format::Jpeg,
                "the image data starts before a frame header (SOF) gives its size",
            ));
        }
        let len = u64::from(u16::from_be_bytes([m[2], m[3]]));
        if len < 2 {
            return Err(HeaderError::Malformed(
                Format::Jpeg,
                "a segment length is below 2",
            ));
        }
        let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if sof {
            // Length, precision (1 byte), height, width.
            let mut f = [0u8; 5];
            if read_up_to(file, &mut f)? < 5 {
                return Err(truncated());
            }
            let h = u32::from(u16::from_be_bytes([f[1], f[2]]));
            let w = u32::from(u16::from_be_bytes([f[3], f[4]]));
            return nonzero(Format::Jpeg, w, h);
        }
        pos += 2 + len;
    }
    Err(HeaderError::Malformed(
        Format::Jpeg,
        "no frame header (SOF) among its first segments",
    ))
}

/// ICONDIR (6 bytes) and its entries (16 bytes each): width and height bytes, 0 meaning
/// 256 — or, for an entry that holds a PNG, the PNG's own size, read from its IHDR.
fn ico<R: Read + Seek>(file: &mut R) -> Result<Header, HeaderError> {
    let truncated = || HeaderError::Truncated(Format::Ico);
    file.seek(SeekFrom::Start(4))?;
    let mut c = [0u8; 2];
    if read_up_to(file, &mut c)? < 2 {
        return Err(truncated());
    }
    let count = usize::from(u16::from_le_bytes(c)).min(MAX_ICO_ENTRIES);
    let mut largest: Option<(u32, u32)> = None;
    let mut not_square = None;
    for i in 0..count {
        file.seek(SeekFrom::Start(6 + 16 * i as u64))?;
        let mut e = [0u8; 16];
        if read_up_to(file, &mut e)? < 16 {
            return Err(truncated());
        }
        let dim = |b: u8| if b == 0 { 256 } else { u32::from(b) };
        let mut size = (dim(e[0]), dim(e[1]));
        if e[0] == 0 || e[1] == 0 {
            let offset = u64::from(u32::from_le_bytes([e[12], e[13], e[14], e[15]]));
            file.seek(SeekFrom::Start(offset))?;
            let mut png = [0u8; 24];
            let n = read_up_to(file, &mut png)?;
            if png[..n].starts_with(b"\x89PNG\r\n\x1a\n") {
                size = png_size(&png[..n])?;
            }
        }
        if size.0 != size.1 && not_square.is_none() {
            not_square = Some(size);
        }
        if largest.is_none_or(|(w, h)| {
            u64::from(size.0) * u64::from(size.1) > u64::from(w) * u64::from(h)
        }) {
            largest = Some(size);
        }
    }
    Ok(Header {
        format: Format::Ico,
        size: largest,
        ico_not_square: not_square,
    })
}

/// Fill `buf` as far as the file goes; how many bytes were read.
fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn header(bytes: &[u8]) -> Result<Header, HeaderError> {
        read_header(&mut Cursor::new(bytes.to_vec()))
    }

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend(w.to_be_bytes());
        v.extend(h.to_be_bytes());
        v.extend([8, 6, 0, 0, 0]);
        v
    }

    #[test]
    fn png_gif_sizes() {
        let h = header(&png(300, 80)).unwrap();
        assert_eq!((h.format, h.size), (Format::Png, Some((300, 80))));
        let gif = b"GIF89a\x10\x00\x20\x00rest";
        assert_eq!(header(gif).unwrap().size, Some((16, 32)));
        assert!(matches!(
            header(&png(300, 80)[..20]),
            Err(HeaderError::Truncated(Format::Png))
        ));
        assert!(matches!(
            header(&png(0, 80)),
            Err(HeaderError::Malformed(..))
        ));
    }

    #[test]
    fn jpeg_walks_to_the_frame_header() {
        // SOI, APP0 of length 16, SOF2 (progressive) 40 × 30.
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        j.extend([0u8; 14]);
        j.extend([0xFF, 0xC2, 0, 17, 8, 0, 30, 0, 40, 3]);
        assert_eq!(header(&j).unwrap().size, Some((40, 30)));
        // A segment length past the end: truncated, not a panic.
        let bad = [0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF];
        assert!(matches!(header(&bad), Err(HeaderError::Truncated(_))));
        // DHT (C4) is not a frame header.
        let mut d = vec![0xFF, 0xD8, 0xFF, 0xC4, 0, 4, 0, 0];
        d.extend([0xFF, 0xC0, 0, 17, 8, 0, 2, 0, 3]);
        assert_eq!(header(&d).unwrap().size, Some((3, 2)));
    }

    #[test]
    fn ico_directory_and_embedded_png() {
        let mut ico = vec![0, 0, 1, 0, 2, 0];
        // 16 × 16 BMP entry, then a 0 × 0 entry holding a PNG at offset 38.
        ico.extend([16, 16, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        ico.extend([0, 0, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 38, 0, 0, 0]);
        ico.extend(png(512, 512));
        let h = header(&ico).unwrap();
        assert_eq!(h.size, Some((512, 512)));
        assert_eq!(h.ico_not_square, None);
        // A count of 65535 with no entries: truncated.
        assert!(matches!(
            header(&[0, 0, 1, 0, 0xFF, 0xFF]),
            Err(HeaderError::Truncated(_))
        ));
    }

    #[test]
    fn other_formats_are_named() {
        assert_eq!(header(b"<svg xmlns=").unwrap().format, Format::Svg);
        assert_eq!(
            header(b"RIFF\0\0\0\0WEBPVP8 ").unwrap().format,
            Format::Webp
        );
        assert!(matches!(header(b"hello"), Err(HeaderError::Unknown)));
        assert!(matches!(header(b""), Err(HeaderError::Unknown)));
    }
}
