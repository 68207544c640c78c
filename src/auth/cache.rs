//! The token cache: one JSON file per profile in a directory chosen by the caller, written
//! atomically with mode 0600, refused on load when group or others may read it.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::AuthError;
use super::secret::Secret;

/// What is cached for a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    pub access_token: Secret,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    pub expires_at: DateTime<Utc>,
    /// Granted scopes, space-separated, as the token endpoint returned them.
    #[serde(default)]
    pub scope: String,
    /// The signed-in account (UPN), from the id token or the access token's claims.
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub tenant_id: Option<String>,
}

/// `<dir>/<profile>.token.json`; the profile name is checked so it cannot leave `dir`.
pub fn cache_path(dir: &Path, profile: &str) -> Result<PathBuf, AuthError> {
    let ok = !profile.is_empty()
        && profile.len() <= 64
        && !profile.starts_with('.')
        && profile
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(AuthError::Config(format!(
            "profile name {profile:?} must be 1–64 letters, digits, '-', '_' or '.' (not starting with '.')"
        )));
    }
    Ok(dir.join(format!("{profile}.token.json")))
}

fn io_err(path: &Path, what: &str, source: std::io::Error) -> AuthError {
    AuthError::Cache {
        path: path.to_path_buf(),
        what: what.to_string(),
        source,
    }
}

/// Reads the cache; `Ok(None)` when there is none. A file readable or writable by group or
/// others is refused with the `chmod 600` fix.
pub fn load(path: &Path) -> Result<Option<CacheEntry>, AuthError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(path, "reading", e)),
    };
    check_private(path, &meta)?;
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| io_err(path, "reading", e))?);
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| AuthError::CacheCorrupt {
            path: path.to_path_buf(),
            // serde_json's text may quote the offending value (a token): position only.
            detail: format!(
                "{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ),
        })
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata) -> Result<(), AuthError> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(AuthError::CacheInsecure {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), AuthError> {
    Ok(())
}

/// Writes the cache atomically: a new 0600 temp file in the same directory, fsync, rename.
/// Creates the directory (0700) when missing.
pub fn save(path: &Path, entry: &CacheEntry) -> Result<(), AuthError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir).map_err(|e| io_err(dir, "creating the directory", e))?;
    let body =
        Zeroizing::new(
            serde_json::to_vec_pretty(entry).map_err(|e| AuthError::CacheCorrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?,
        );
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("token.json");
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut f = open_private(&tmp)?;
        f.write_all(&body)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err(path, "writing", e));
    }
    Ok(())
}

/// Deletes the cache; `Ok(true)` when there was one.
pub fn remove(path: &Path) -> Result<bool, AuthError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(path, "deleting", e)),
    }
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> CacheEntry {
        CacheEntry {
            access_token: Secret::new("access-SECRET-1"),
            refresh_token: Some(Secret::new("refresh-SECRET-2")),
            expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
            scope: "User.Read.All".into(),
            account: Some("ana@contoso.com".into()),
            tenant_id: Some("tid".into()),
        }
    }

    #[test]
    fn round_trip_and_logout() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(&dir.path().join("nested"), "work").unwrap();
        assert_eq!(load(&path).unwrap(), None);
        save(&path, &entry()).unwrap();
        assert_eq!(load(&path).unwrap(), Some(entry()));
        // overwrite keeps working (rename over an existing file)
        let mut e2 = entry();
        e2.refresh_token = Some(Secret::new("rotated"));
        save(&path, &e2).unwrap();
        assert_eq!(load(&path).unwrap(), Some(e2));
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temp files left behind");
        assert!(remove(&path).unwrap());
        assert!(!remove(&path).unwrap());
        assert_eq!(load(&path).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn written_0600_and_0644_refused_with_chmod_hint() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path(), "default").unwrap();
        save(&path, &entry()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = load(&path).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("chmod 600 {}", path.display())),
            "{text}"
        );
        assert!(text.contains("0644"), "{text}");
        assert!(!text.contains("SECRET"));
    }

    #[test]
    fn profile_names_cannot_escape() {
        let d = Path::new("/tmp/x");
        assert!(cache_path(d, "../etc").is_err());
        assert!(cache_path(d, "a/b").is_err());
        assert!(cache_path(d, "").is_err());
        assert!(cache_path(d, ".hidden").is_err());
        assert_eq!(
            cache_path(d, "prod-eu_1").unwrap(),
            d.join("prod-eu_1.token.json")
        );
    }

    #[test]
    fn debug_hides_tokens() {
        let shown = format!("{:?}", entry());
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn corrupt_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path(), "p").unwrap();
        save(&path, &entry()).unwrap();
        std::fs::write(&path, b"{not json").unwrap();
        assert!(matches!(load(&path), Err(AuthError::CacheCorrupt { .. })));
    }
}
