//! The font of the certificate: one TrueType file (`CLP_CERTIFICATE_FONT`) read once and kept
//! in memory; a missing or unreadable file is read again at the next request, so installing
//! the font needs no restart.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The bytes of the font file (shared, cheap to clone).
pub type FontFile = Arc<Vec<u8>>;

/// The font file of the certificates, loaded on first use.
pub struct CertificateFont {
    path: PathBuf,
    loaded: Mutex<Option<FontFile>>,
}

/// Why the certificate font cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file cannot be read (missing, unreadable).
    #[error(
        "cannot read the certificate font {path} ({source}); install it (Debian: apt-get install \
         fonts-ipafont-gothic, or `make tools-fonts`) or point CLP_CERTIFICATE_FONT at a \
         TrueType font with Japanese glyphs"
    )]
    Unreadable {
        /// The configured path.
        path: PathBuf,
        /// The reading error.
        source: std::io::Error,
    },
    /// The file is not a font the renderer can use.
    #[error(
        "the certificate font {path} is not a TrueType/OpenType font; point \
         CLP_CERTIFICATE_FONT at one with Japanese glyphs (Debian: fonts-ipafont-gothic)"
    )]
    NotAFont {
        /// The configured path.
        path: PathBuf,
    },
}

impl CertificateFont {
    /// The font at `path`, not read yet.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            loaded: Mutex::new(None),
        }
    }

    /// The configured path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The font's bytes, read from the file the first time (blocking I/O: call it off the
    /// async workers) and checked to be a font.
    pub fn load(&self) -> Result<FontFile, FontError> {
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(file) = loaded.as_ref() {
            return Ok(Arc::clone(file));
        }
        let bytes = std::fs::read(&self.path).map_err(|source| FontError::Unreadable {
            path: self.path.clone(),
            source,
        })?;
        if rustybuzz::Face::from_slice(&bytes, 0).is_none() {
            return Err(FontError::NotAFont {
                path: self.path.clone(),
            });
        }
        let file = Arc::new(bytes);
        *loaded = Some(Arc::clone(&file));
        Ok(file)
    }
}

impl fmt::Debug for CertificateFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateFont")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}
