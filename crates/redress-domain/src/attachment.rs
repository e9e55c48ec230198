//! Files added to a case as evidence. Only a few kinds are accepted, recognised by their
//! content rather than their name, and they are always served as downloads, so a file can
//! never run as a page in someone's browser.

use crate::choice;

/// Largest file accepted: enough for a scanned letter or photographs of damp.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

choice!(
    FileType, "the type of file" {
        Pdf = "pdf": "PDF",
        Png = "png": "PNG image",
        Jpeg = "jpeg": "JPEG image",
        Word = "docx": "Word document",
        Text = "text": "Plain text",
    }
);

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Word => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Text => "text/plain; charset=utf-8",
        }
    }
}

/// What the bytes are, or why the file is refused.
pub fn identify(name: &str, bytes: &[u8]) -> Result<FileType, String> {
    if bytes.is_empty() {
        return Err("The selected file is empty".into());
    }
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "The selected file must be smaller than {} MB",
            MAX_BYTES / (1024 * 1024)
        ));
    }
    let lower = name.to_ascii_lowercase();
    let kind = if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".docx") {
        Some(FileType::Word)
    } else if (lower.ends_with(".txt") || lower.ends_with(".csv") || lower.ends_with(".eml"))
        && std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0'))
    {
        Some(FileType::Text)
    } else {
        None
    };
    kind.ok_or_else(|| "The selected file must be a PDF, a Word document (.docx), a PNG or JPEG image, or a plain text file".into())
}

/// A file name safe to show and to offer back as a download name.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| c.is_alphanumeric() || " .-_()".contains(*c))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "attachment".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(identify("letter.pdf", b"%PDF-1.7 ..."), Ok(FileType::Pdf));
        assert_eq!(
            identify("photo.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(FileType::Jpeg)
        );
        assert_eq!(
            identify("notes.txt", "Damp since May".as_bytes()),
            Ok(FileType::Text)
        );
        assert!(
            identify("evil.pdf", b"<html><script>").is_err(),
            "a page named .pdf is refused"
        );
        assert!(identify("evil.txt", b"MZ\0\0").is_err());
        assert!(identify("empty.pdf", b"").is_err_and(|e| e.contains("empty")));
        assert!(
            identify("big.pdf", &vec![b'%'; MAX_BYTES + 1])
                .is_err_and(|e| e.contains("smaller than 10 MB"))
        );
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(
            clean_name("C:\\Users\\me\\Damp photo (1).jpg"),
            "Damp photo (1).jpg"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("<script>.pdf"), "script.pdf");
        assert_eq!(clean_name("..."), "attachment");
    }
}
