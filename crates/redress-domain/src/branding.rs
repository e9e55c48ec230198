//! How the service looks to residents: the organisation's name, its colour and its logo.
//! The colour must keep white header text readable (WCAG AA), so a brand colour can never
//! make the service harder to use.

use crate::attachment::FileType;

/// Logos are shown small; anything bigger than this is a mistake or a photo.
pub const MAX_LOGO_BYTES: usize = 200 * 1024;
/// WCAG 2.2 AA contrast for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    /// The name shown on every page and in letters, when it differs from the set-up name.
    pub name: Option<String>,
    /// The header colour as `#rrggbb`.
    pub colour: Option<String>,
    pub logo: Option<Logo>,
    /// How residents reach the organisation, shown on every page.
    pub reach: crate::reach::Reach,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub file_type: FileType,
    pub bytes: Vec<u8>,
}

fn channel(hex: &str) -> Option<f64> {
    let v = u8::from_str_radix(hex, 16).ok()?;
    let c = f64::from(v) / 255.0;
    Some(if c <= 0.039_28 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    })
}

/// Relative luminance of `#rrggbb`, as WCAG defines it.
fn luminance(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let (r, g, b) = (
        channel(&hex[0..2])?,
        channel(&hex[2..4])?,
        channel(&hex[4..6])?,
    );
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b)
}

/// Contrast of white text on the colour.
pub fn contrast_with_white(colour: &str) -> Option<f64> {
    luminance(colour).map(|l| 1.05 / (l + 0.05))
}

/// Checks a colour typed as `#12436d` (the `#` may be left out).
pub fn parse_colour(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_start_matches('#').to_ascii_lowercase();
    let colour = format!("#{trimmed}");
    match contrast_with_white(&colour) {
        None => Err("Enter the colour as 6 hexadecimal digits, like #12436d".into()),
        Some(c) if c < MIN_CONTRAST => Err(format!(
            "White text on this colour has a contrast of {c:.1} to 1; choose a darker colour (at least {MIN_CONTRAST} to 1)"
        )),
        Some(_) => Ok(colour),
    }
}

/// Checks an uploaded logo: a PNG or JPEG image, small.
pub fn parse_logo(name: &str, bytes: &[u8]) -> Result<Logo, String> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "The logo must be smaller than {} KB",
            MAX_LOGO_BYTES / 1024
        ));
    }
    match crate::attachment::identify(name, bytes) {
        Ok(t @ (FileType::Png | FileType::Jpeg)) => Ok(Logo {
            file_type: t,
            bytes: bytes.to_vec(),
        }),
        _ => Err("The logo must be a PNG or JPEG image".into()),
    }
}

/// Checks the display name.
pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Enter the organisation's name".into());
    }
    if name.chars().count() > 100 {
        return Err("The name must be 100 characters or fewer".into());
    }
    if name.chars().any(char::is_control) {
        return Err("The name contains characters that cannot be used".into());
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_must_keep_white_text_readable() {
        assert_eq!(parse_colour("#12436D"), Ok("#12436d".into()));
        assert_eq!(parse_colour("0b0c0c"), Ok("#0b0c0c".into()));
        // GOV.UK blue #1d70b8 passes (5.2:1); a light yellow does not.
        assert!(parse_colour("#1d70b8").is_ok());
        assert!(parse_colour("#ffdd00").is_err_and(|m| m.contains("contrast of 1.")));
        assert!(parse_colour("blue").is_err_and(|m| m.contains("6 hexadecimal digits")));
        assert!(parse_colour("#12345").is_err());
        let white = contrast_with_white("#ffffff").unwrap_or_default();
        assert!((white - 1.0).abs() < 1e-9);
        let black = contrast_with_white("#000000").unwrap_or_default();
        assert!((black - 21.0).abs() < 1e-9);
    }

    #[test]
    fn logos_are_small_images() {
        assert!(parse_logo("logo.png", b"\x89PNG\r\n\x1a\nrest").is_ok());
        assert!(parse_logo("logo.pdf", b"%PDF-1.4").is_err());
        assert!(parse_logo("big.png", &vec![0x89; MAX_LOGO_BYTES + 1]).is_err());
        assert!(parse_name("  ").is_err());
        assert_eq!(parse_name(" Cartref Homes "), Ok("Cartref Homes".into()));
    }
}
