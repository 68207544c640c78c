//! Careful file-system primitives for the case folder: private directories (0o700), files
//! created new and never overwritten (0o600), data synced to disk before success is reported.
//! Nothing here decides names or content; callers do.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Creates `dir` and its missing parents, each new one private to the owner.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Creates exactly `dir` (its parent must exist); fails with `AlreadyExists` if it does.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Options for a private file that must not exist yet.
pub fn new_file_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Options for a private append-only file, created if missing.
pub fn append_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Writes `bytes` to a new file at `path` (never overwriting) and syncs it.
pub fn write_new_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = new_file_options().open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Syncs a directory so that newly created entries in it survive a crash (best effort off unix).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Creates a new file `<dir>/<stem><ext>`, or `<stem>-2<ext>`, `-3`… if taken; never overwrites.
pub fn create_unique_file(dir: &Path, stem: &str, ext: &str) -> io::Result<(PathBuf, File)> {
    for n in 1..10_000u32 {
        let name = if n == 1 {
            format!("{stem}{ext}")
        } else {
            format!("{stem}-{n}{ext}")
        };
        let path = dir.join(name);
        match new_file_options().open(&path) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("no free file name for {stem}{ext} in {}", dir.display()),
    ))
}

/// Keeps only `[A-Za-z0-9._-]` of a caller-chosen name part (others become `_`), capped.
pub fn safe_component(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(max)
        .collect();
    if out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_file_never_overwrites() {
        let d = tempfile::tempdir().unwrap();
        let (a, mut fa) = create_unique_file(d.path(), "x", ".csv").unwrap();
        fa.write_all(b"first").unwrap();
        let (b, _) = create_unique_file(d.path(), "x", ".csv").unwrap();
        assert_ne!(a, b);
        assert!(b.ends_with("x-2.csv"));
        assert_eq!(fs::read(&a).unwrap(), b"first");
    }

    #[test]
    fn safe_component_blocks_traversal() {
        assert_eq!(safe_component("../etc/passwd", 64), "_._etc_passwd");
        assert_eq!(safe_component("", 8), "_");
        assert_eq!(safe_component("signIns", 8), "signIns");
    }
}
