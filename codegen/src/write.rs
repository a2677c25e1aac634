//! Stage 4, write: puts a generated crate on disk all at once, or checks that the disk already matches.
//!
//! The output directory belongs to the generator: files it did not produce are removed, except the
//! build products `target/` and `Cargo.lock`. A write stages the whole crate in a sibling directory
//! and swaps it in with renames, so a failure at any point leaves the old directory as it was.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;

/// Entries of the output directory the generator leaves alone.
const KEPT: &[&str] = &["target", "Cargo.lock"];

/// How one file differs between disk and the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New file.
    Added(String),
    /// Contents differ.
    Updated(String),
    /// On disk but no longer generated.
    Removed(String),
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added(p) => write!(f, "added    {p}"),
            Change::Updated(p) => write!(f, "updated  {p}"),
            Change::Removed(p) => write!(f, "removed  {p}"),
        }
    }
}

/// A filesystem failure, with the path it happened on.
#[derive(Debug)]
pub struct WriteError {
    /// The path being read or written.
    pub path: PathBuf,
    /// What went wrong.
    pub source: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError { path: path.to_path_buf(), source }
}

/// Reads every file under `dir` except the kept entries, by relative `/` path.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, WriteError> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).map_err(io_error(&current))? {
            let entry = entry.map_err(io_error(&current))?;
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if current == dir && KEPT.contains(&relative.as_str()) {
                continue;
            }
            if entry.file_type().map_err(io_error(&path))?.is_dir() {
                pending.push(path);
            } else {
                files.insert(relative, fs::read(&path).map_err(io_error(&path))?);
            }
        }
    }
    Ok(files)
}

/// What writing `files` to `dir` would change, in path order.
pub fn changes(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, WriteError> {
    let existing = read_tree(dir)?;
    let mut out = Vec::new();
    let generated: BTreeMap<&str, &GeneratedFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    for (path, file) in &generated {
        match existing.get(*path) {
            None => out.push(Change::Added(path.to_string())),
            Some(bytes) if bytes != file.contents.as_bytes() => out.push(Change::Updated(path.to_string())),
            Some(_) => {}
        }
    }
    for path in existing.keys() {
        if !generated.contains_key(path.as_str()) {
            out.push(Change::Removed(path.clone()));
        }
    }
    out.sort_by(|a, b| change_path(a).cmp(change_path(b)));
    Ok(out)
}

fn change_path(change: &Change) -> &str {
    match change {
        Change::Added(p) | Change::Updated(p) | Change::Removed(p) => p,
    }
}

/// A unified diff of what writing `files` would change under `dir`, for `--check` output.
pub fn diff(dir: &Path, files: &[GeneratedFile]) -> Result<String, WriteError> {
    let existing = read_tree(dir)?;
    let mut out = String::new();
    for change in changes(dir, files)? {
        let path = change_path(&change);
        let old = existing.get(path).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        let new = files.iter().find(|f| f.path == path).map(|f| f.contents.clone()).unwrap_or_default();
        let text = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string();
        out.push_str(&text);
    }
    Ok(out)
}

/// Makes `dir` hold exactly `files` (plus any kept build products), replacing it in one step.
///
/// Returns what changed. When nothing changed the directory is not touched at all.
pub fn write(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, WriteError> {
    let changes = changes(dir, files)?;
    if changes.is_empty() {
        return Ok(changes);
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "generated".into());
    fs::create_dir_all(parent).map_err(io_error(parent))?;
    let staging = parent.join(format!(".{name}.codegen-new"));
    let backup = parent.join(format!(".{name}.codegen-old"));
    for leftover in [&staging, &backup] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(io_error(leftover))?;
        }
    }
    let result = stage(&staging, files).and_then(|()| swap(dir, &staging, &backup));
    if result.is_err() {
        // Best effort: the error being returned matters more than a failure to tidy up.
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| changes)
}

fn stage(staging: &Path, files: &[GeneratedFile]) -> Result<(), WriteError> {
    for file in files {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::write(&path, &file.contents).map_err(io_error(&path))?;
    }
    Ok(())
}

fn swap(dir: &Path, staging: &Path, backup: &Path) -> Result<(), WriteError> {
    if !dir.exists() {
        return fs::rename(staging, dir).map_err(io_error(dir));
    }
    fs::rename(dir, backup).map_err(io_error(dir))?;
    if let Err(source) = fs::rename(staging, dir) {
        // Put the old directory back so the caller sees it unchanged.
        let _ = fs::rename(backup, dir);
        return Err(WriteError { path: dir.to_path_buf(), source });
    }
    // Carry build products over; losing them would only cost a rebuild, so failures are ignored.
    for kept in KEPT {
        let from = backup.join(kept);
        if from.exists() {
            let _ = fs::rename(&from, dir.join(kept));
        }
    }
    fs::remove_dir_all(backup).map_err(io_error(backup))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile { path: path.into(), contents: contents.into() }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-write-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_reports_and_then_is_clean() {
        let root = scratch("clean");
        let out = root.join("crate");
        let files = vec![file("Cargo.toml", "a"), file("src/lib.rs", "b")];
        let changes = write(&out, &files).unwrap();
        assert_eq!(changes, [Change::Added("Cargo.toml".into()), Change::Added("src/lib.rs".into())]);
        assert!(super::changes(&out, &files).unwrap().is_empty());
        assert!(write(&out, &files).unwrap().is_empty());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn removes_stale_files_but_keeps_build_products() {
        let root = scratch("stale");
        let out = root.join("crate");
        write(&out, &[file("old.rs", "x"), file("src/lib.rs", "b")]).unwrap();
        fs::create_dir_all(out.join("target/debug")).unwrap();
        fs::write(out.join("target/debug/marker"), "keep").unwrap();
        let changes = write(&out, &[file("src/lib.rs", "c")]).unwrap();
        assert_eq!(changes, [Change::Removed("old.rs".into()), Change::Updated("src/lib.rs".into())]);
        assert!(!out.join("old.rs").exists());
        assert_eq!(fs::read_to_string(out.join("target/debug/marker")).unwrap(), "keep");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn diff_is_unified() {
        let root = scratch("diff");
        let out = root.join("crate");
        write(&out, &[file("a.rs", "one\ntwo\n")]).unwrap();
        let text = diff(&out, &[file("a.rs", "one\nthree\n")]).unwrap();
        assert!(text.contains("--- a/a.rs") && text.contains("-two") && text.contains("+three"), "{text}");
        let _ = fs::remove_dir_all(&root);
    }
}
