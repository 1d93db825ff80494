//! Zip archives of function code: the one `fgs serve` builds from a function directory, and
//! unpacking one (`fgs pull`) so that no entry lands outside the directory it goes to.
//!
//! What the network sends is untrusted: an archive whose entries would escape (`../`, an
//! absolute path, a drive, a link that points out) is refused whole before anything is
//! written, and what it unpacks to is bounded.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, anyhow};

use crate::error::{Failure, Kind};
use crate::sanitize;

/// The most a package unpacks to (the service's limit on unpacked code is far below it).
pub const UNPACKED_LIMIT: u64 = 4 << 30;

/// The most a package `fgs serve` builds may hold, as the service limits an upload (50 MB).
pub const PACKED_LIMIT: u64 = 50 * 1000 * 1000;

/// What unpacking wrote.
#[derive(Debug, Default)]
pub struct Unpacked {
    pub files: usize,
    pub bytes: u64,
    /// Links inside the package, left out (fgs writes no links): their paths.
    pub links: Vec<String>,
}

/// One entry's place in the directory: its path relative to it, checked.
fn relative(name: &str) -> Result<PathBuf, String> {
    let unsafe_name = || {
        format!(
            "the package holds `{}`, which would land outside the directory",
            sanitize::shown(name)
        )
    };
    let name_fwd = name.replace('\\', "/");
    if name_fwd.starts_with('/') || name_fwd.contains('\0') {
        return Err(unsafe_name());
    }
    let mut path = PathBuf::new();
    for part in name_fwd.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(unsafe_name()),
            // `C:` and the like: a drive, or an NTFS stream.
            part if part.contains(':') => return Err(unsafe_name()),
            part => path.push(part),
        }
    }
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(unsafe_name());
    }
    Ok(path)
}

/// Whether a link at `at` (relative to the directory) to `target` stays inside it.
fn link_inside(at: &Path, target: &str) -> bool {
    let target = target.replace('\\', "/");
    if target.starts_with('/') || target.contains(':') {
        return false;
    }
    let mut depth: usize = at.components().count().saturating_sub(1);
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => depth += 1,
        }
    }
    true
}

fn bad_package(e: impl std::fmt::Display) -> Failure {
    Failure::new(
        Kind::Service,
        anyhow!("the code package is not a readable zip archive: {e}"),
    )
}

fn refused(why: impl std::fmt::Display) -> Failure {
    Failure::new(Kind::Service, anyhow!("{why}; nothing was unpacked"))
}

/// Unpack the zip in `file` into `dest` (which exists). Every entry is checked first: one
/// that would land outside `dest`, a link pointing out of it, or more than
/// [`UNPACKED_LIMIT`] in all refuses the whole package (exit 5) before a byte is written.
/// Links that stay inside are left out and named. Execute bits are kept where the system
/// has them.
pub fn unpack(file: File, dest: &Path) -> Result<Unpacked, Failure> {
    let mut archive = zip::ZipArchive::new(file).map_err(bad_package)?;
    let mut plan = Vec::with_capacity(archive.len());
    let mut declared: u64 = 0;
    let mut unpacked = Unpacked::default();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(bad_package)?;
        let name = entry.name().map_err(bad_package)?.into_owned();
        let path = relative(&name).map_err(refused)?;
        if entry.enclosed_name().is_none() {
            return Err(refused(format!(
                "the package holds `{}`, which would land outside the directory",
                sanitize::shown(&name)
            )));
        }
        if entry.is_symlink() {
            let mut target = String::new();
            entry
                .by_ref()
                .take(4096)
                .read_to_string(&mut target)
                .map_err(bad_package)?;
            if !link_inside(&path, &target) {
                return Err(refused(format!(
                    "the package holds a link `{}` to `{}`, outside the directory",
                    sanitize::shown(&name),
                    sanitize::shown(&target)
                )));
            }
            unpacked.links.push(sanitize::shown(&name));
            continue;
        }
        if path.as_os_str().is_empty() {
            continue;
        }
        declared = declared.saturating_add(entry.size());
        let executable = entry.unix_mode().is_some_and(|m| m & 0o111 != 0);
        plan.push((index, path, entry.is_dir(), executable));
    }
    if declared > UNPACKED_LIMIT {
        return Err(refused(format!(
            "the package unpacks to {declared} bytes, more than fgs unpacks ({UNPACKED_LIMIT})"
        )));
    }
    let mut budget = UNPACKED_LIMIT;
    for (index, path, is_dir, executable) in plan {
        let target = dest.join(&path);
        if is_dir {
            create_dir_inside(dest, &path)?;
            continue;
        }
        if let Some(parent) = path.parent() {
            create_dir_inside(dest, parent)?;
        }
        let mut entry = archive.by_index(index).map_err(bad_package)?;
        // A link already there (an earlier unpack with --force) is replaced, not followed.
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(&target)
                .with_context(|| format!("replacing {}", target.display()))
                .map_err(local)?;
        }
        let mut out = File::create(&target)
            .with_context(|| format!("writing {}", target.display()))
            .map_err(local)?;
        let copied = std::io::copy(&mut entry.by_ref().take(budget + 1), &mut out)
            .map_err(|e| bad_package(format!("{}: {e}", path.display())))?;
        if copied > budget {
            return Err(refused(format!(
                "the package unpacks to more than fgs unpacks ({UNPACKED_LIMIT} bytes)"
            )));
        }
        budget -= copied;
        out.flush()
            .with_context(|| format!("writing {}", target.display()))
            .map_err(local)?;
        if executable {
            crate::sys::make_executable(&target);
        }
        unpacked.files += 1;
        unpacked.bytes += copied;
    }
    Ok(unpacked)
}

/// The console's export is a zip holding the code's zip and a YAML configuration (§11.2):
/// when `file` is such a package (one `.zip`, YAML beside it at most), the inner zip in a
/// temporary file; else `file` itself, rewound.
pub fn inner_package(mut file: File) -> Result<File, Failure> {
    let inner = {
        let mut archive = zip::ZipArchive::new(&mut file).map_err(bad_package)?;
        let mut zips = Vec::new();
        for index in 0..archive.len() {
            let entry = archive.by_index_raw(index).map_err(bad_package)?;
            let name = entry.name().map_err(bad_package)?;
            let extension = |wanted: &str| {
                Path::new(name.as_ref())
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case(wanted))
            };
            if entry.is_dir() {
                continue;
            }
            if extension("zip") {
                zips.push(index);
            } else if !(extension("yaml") || extension("yml")) {
                zips.clear();
                break;
            }
        }
        match zips.as_slice() {
            [index] => {
                let mut entry = archive.by_index(*index).map_err(bad_package)?;
                let mut inner = tempfile::tempfile()
                    .context("creating a temporary file")
                    .map_err(local)?;
                std::io::copy(&mut entry.by_ref().take(UNPACKED_LIMIT), &mut inner)
                    .map_err(bad_package)?;
                Some(inner)
            }
            _ => None,
        }
    };
    let mut chosen = inner.unwrap_or(file);
    chosen
        .rewind()
        .context("reading the package back")
        .map_err(local)?;
    Ok(chosen)
}

fn local(e: anyhow::Error) -> Failure {
    Failure::new(Kind::Local, e)
}

/// Create `dest/path`, refusing to pass through a link already there.
fn create_dir_inside(dest: &Path, path: &Path) -> Result<(), Failure> {
    let mut at = dest.to_path_buf();
    for part in path.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Failure::new(
                    Kind::Local,
                    anyhow!("{} is a link: fgs does not unpack through it", at.display()),
                ));
            }
            Ok(m) if m.is_dir() => {}
            _ => std::fs::create_dir(&at)
                .with_context(|| format!("creating {}", at.display()))
                .map_err(local)?,
        }
    }
    Ok(())
}

/// The files of `dir` as a zip, entries in a stable order, `leave_out` (names at the top)
/// and links left out; at most [`PACKED_LIMIT`] bytes of files. `Err` names what went wrong.
pub fn pack(dir: &Path, leave_out: &[&str]) -> anyhow::Result<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut total: u64 = 0;
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let here = dir.join(&relative);
        let mut entries: Vec<_> = std::fs::read_dir(&here)
            .with_context(|| format!("reading {}", here.display()))?
            .collect::<Result<_, _>>()
            .with_context(|| format!("reading {}", here.display()))?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        // Directories after files, deepest last: pushed in reverse so they pop in order.
        let mut dirs = Vec::new();
        for entry in entries {
            let name = entry.file_name();
            if relative.as_os_str().is_empty()
                && leave_out.iter().any(|l| name.to_str() == Some(*l))
            {
                continue;
            }
            let path = relative.join(&name);
            let kind = entry.file_type()?;
            let Some(zip_name) = path.to_str().map(|p| p.replace('\\', "/")) else {
                continue; // a name the zip cannot carry faithfully
            };
            if kind.is_dir() {
                writer.add_directory(format!("{zip_name}/"), options(0o755))?;
                dirs.push(path);
            } else if kind.is_file() {
                let full = dir.join(&path);
                let mode = if crate::sys::is_executable(&full) {
                    0o755
                } else {
                    0o644
                };
                writer.start_file(zip_name, options(mode))?;
                let mut file =
                    File::open(&full).with_context(|| format!("reading {}", full.display()))?;
                total += std::io::copy(&mut file, &mut writer)
                    .with_context(|| format!("reading {}", full.display()))?;
                if total > PACKED_LIMIT {
                    anyhow::bail!("the function's files hold more than {PACKED_LIMIT} bytes");
                }
            }
        }
        pending.extend(dirs.into_iter().rev());
    }
    let mut cursor = writer.finish()?;
    cursor.rewind()?;
    Ok(cursor.into_inner())
}

fn options(mode: u32) -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_escape_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "..\\x",
            "C:\\x",
            "C:x",
            "a/../b",
        ] {
            assert!(relative(bad).is_err(), "{bad}");
        }
        assert_eq!(relative("a/b.py").unwrap(), PathBuf::from("a").join("b.py"));
        assert_eq!(relative("./a//b").unwrap(), PathBuf::from("a").join("b"));
    }

    #[test]
    fn links_may_point_inside_only() {
        assert!(link_inside(Path::new("a/l"), "b"));
        assert!(link_inside(Path::new("a/l"), "../b"));
        assert!(!link_inside(Path::new("a/l"), "../../b"));
        assert!(!link_inside(Path::new("l"), "/etc/passwd"));
        assert!(!link_inside(Path::new("l"), ".."));
    }

    #[test]
    fn the_consoles_export_is_opened_to_the_code_inside() {
        let code = {
            let from = tempfile::tempdir().unwrap();
            std::fs::write(from.path().join("index.js"), "exports.handler = 1;\n").unwrap();
            pack(from.path(), &[]).unwrap()
        };
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        writer.start_file("hello.zip", options(0o644)).unwrap();
        writer.write_all(&code).unwrap();
        writer.start_file("hello.yaml", options(0o644)).unwrap();
        writer.write_all(b"runtime: Node.js18.15\n").unwrap();
        let outer = writer.finish().unwrap().into_inner();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&outer).unwrap();
        let to = tempfile::tempdir().unwrap();
        unpack(inner_package(file).unwrap(), to.path()).unwrap();
        assert!(to.path().join("index.js").exists());
        assert!(!to.path().join("hello.yaml").exists());
        // A package of code is left as it is.
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&code).unwrap();
        let to = tempfile::tempdir().unwrap();
        unpack(inner_package(file).unwrap(), to.path()).unwrap();
        assert!(to.path().join("index.js").exists());
    }

    #[test]
    fn a_packed_directory_unpacks_to_the_same_files() {
        let from = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(from.path().join("lib/deep")).unwrap();
        std::fs::write(
            from.path().join("index.py"),
            "def handler(e, c): return e\n",
        )
        .unwrap();
        std::fs::write(from.path().join("lib/deep/x.txt"), "x").unwrap();
        std::fs::write(from.path().join("function.toml"), "left out").unwrap();
        let zip = pack(from.path(), &["function.toml"]).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&zip).unwrap();
        file.rewind().unwrap();
        let to = tempfile::tempdir().unwrap();
        let unpacked = unpack(file, to.path()).unwrap();
        assert_eq!(unpacked.files, 2);
        assert_eq!(
            std::fs::read_to_string(to.path().join("lib/deep/x.txt")).unwrap(),
            "x"
        );
        assert!(!to.path().join("function.toml").exists());
    }
}
