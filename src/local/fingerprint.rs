//! A cheap fingerprint of a function directory (paths, sizes, modification times), to
//! notice that its code changed.
//!
//! `__pycache__` and `.git` are skipped (Python writes the first itself), and so is the
//! top-level `events/` (saved test events); `node_modules` is represented by its own
//! modification time only, which changes when a package is added or removed, so a large
//! tree is not walked on every check.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

const SKIPPED: &[&str] = &["__pycache__", ".git"];
const SHALLOW: &[&str] = &["node_modules"];
/// The function's saved test events (`DIR/events/`, which `fgs serve` writes): not code, so
/// saving one keeps the warm instances. Only at the top: `src/events/` is code.
const EVENTS: &str = "events";
/// Stop walking after this many entries: a directory that large is not a function's code.
const MAX_ENTRIES: usize = 20_000;

/// The directory's fingerprint; equal fingerprints mean "nothing seen changed".
pub fn of(dir: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    let mut entries = 0;
    walk(dir, dir, &mut hasher, &mut entries);
    hasher.finish()
}

fn walk(root: &Path, dir: &Path, hasher: &mut DefaultHasher, entries: &mut usize) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut children: Vec<_> = read.filter_map(Result::ok).collect();
    children.sort_by_key(std::fs::DirEntry::file_name);
    for entry in children {
        *entries += 1;
        if *entries > MAX_ENTRIES {
            return;
        }
        let name = entry.file_name();
        if SKIPPED.iter().any(|s| name == *s) || (dir == root && name == EVENTS) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let path = entry.path();
        path.strip_prefix(root).unwrap_or(&path).hash(hasher);
        if let Ok(modified) = meta.modified() {
            modified.hash(hasher);
        }
        if meta.is_dir() {
            if !SHALLOW.iter().any(|s| name == *s) {
                walk(root, &path, hasher, entries);
            }
        } else {
            meta.len().hash(hasher);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_changes_the_fingerprint_and_pycache_does_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.py"), "a").unwrap();
        let first = of(dir.path());
        assert_eq!(first, of(dir.path()));
        std::fs::create_dir(dir.path().join("__pycache__")).unwrap();
        let with_cache = of(dir.path());
        assert_eq!(first, with_cache, "__pycache__ is ignored");
        std::fs::write(dir.path().join("__pycache__/index.pyc"), "x").unwrap();
        assert_eq!(
            with_cache,
            of(dir.path()),
            "writes inside __pycache__ are ignored"
        );
        std::fs::write(dir.path().join("index.py"), "ab").unwrap();
        assert_ne!(with_cache, of(dir.path()));
        let before = of(dir.path());
        std::fs::write(dir.path().join("new.py"), "").unwrap();
        assert_ne!(before, of(dir.path()));
    }

    #[test]
    fn saved_events_at_the_top_are_not_code_but_a_nested_events_folder_is() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.py"), "a").unwrap();
        let first = of(dir.path());
        std::fs::create_dir(dir.path().join("events")).unwrap();
        std::fs::write(dir.path().join("events/paid.json"), "{}").unwrap();
        assert_eq!(first, of(dir.path()));
        std::fs::create_dir_all(dir.path().join("src/events")).unwrap();
        let nested = of(dir.path());
        assert_ne!(first, nested);
        std::fs::write(dir.path().join("src/events/handler.py"), "").unwrap();
        assert_ne!(nested, of(dir.path()));
    }
}
