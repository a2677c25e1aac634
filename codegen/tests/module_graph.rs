//! Keeps the generator's modules layered: no two top-level modules of `codegen/src` may use each
//! other. A file at the top (`model.rs`) is a module, and so is a folder (`ir/`, `emit/`) with
//! everything in it; the crate root (`lib.rs`) is not one. A module uses another when its code names
//! `crate::other` (in a `use` or a path); comments, string literals and the tokens of `quote!`, which
//! belong to the generated crates, do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// For each top-level module, the modules it uses and, for each, the first file that does.
type Graph = BTreeMap<String, BTreeMap<String, PathBuf>>;

#[test]
fn no_two_modules_use_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    assert!(graph.len() > 3, "found too few modules under {}: {graph:?}", src.display());
    let circles = mutual_uses(&graph);
    assert!(
        circles.is_empty(),
        "modules that use each other (the dependency must go one way):\n{}",
        circles.join("\n")
    );
}

#[test]
fn no_longer_circle_of_modules() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    if let Some(circle) = longer_circle(&graph) {
        panic!("these modules use each other in a circle: {}", circle.join(" -> "));
    }
}

/// A circle of three or more modules (each using the next, the last the first), if there is one.
fn longer_circle(graph: &Graph) -> Option<Vec<String>> {
    fn walk<'g>(graph: &'g Graph, path: &mut Vec<&'g str>, done: &mut BTreeSet<&'g str>) -> Option<Vec<String>> {
        let here = *path.last()?;
        for next in graph.get(here).into_iter().flat_map(|uses| uses.keys()) {
            if let Some(start) = path.iter().position(|m| m == next) {
                if path.len() - start > 2 {
                    let mut circle: Vec<String> = path[start..].iter().map(|m| m.to_string()).collect();
                    circle.push(next.clone());
                    return Some(circle);
                }
            } else if !done.contains(next.as_str()) {
                path.push(next);
                if let Some(circle) = walk(graph, path, done) {
                    return Some(circle);
                }
                path.pop();
            }
        }
        done.insert(here);
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| walk(graph, &mut vec![start.as_str()], &mut done))
}

/// Each pair of modules that use each other, named with a file of each side.
fn mutual_uses(graph: &Graph) -> Vec<String> {
    let mut circles = Vec::new();
    for (from, uses) in graph {
        for (to, file) in uses {
            let Some(back) = graph.get(to).and_then(|uses| uses.get(from)) else { continue };
            if from < to {
                circles.push(format!(
                    "`{from}` and `{to}`: {} uses `crate::{to}`, and {} uses `crate::{from}`",
                    file.display(),
                    back.display()
                ));
            }
        }
    }
    circles
}

/// The top-level modules under `src` and the ones each uses.
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let module_of = |file: &Path| -> Option<String> {
        let first = file.strip_prefix(src).ok()?.components().next()?.as_os_str().to_str()?.to_string();
        let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
        (name != "lib").then_some(name)
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let Some(module) = module_of(file) else { continue };
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let uses = graph.entry(module.clone()).or_default();
        for used in crate_references(&text) {
            if used != module && modules.contains(&used) {
                uses.entry(used).or_insert_with(|| file.strip_prefix(src).unwrap_or(file).to_path_buf());
            }
        }
    }
    graph
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The first segment after each `crate::` in the code of `text` (`crate::{a, b::c}` gives `a` and `b`).
fn crate_references(text: &str) -> BTreeSet<String> {
    let code = code_only(text);
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + "crate::".len()..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let after = after.trim_start();
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        item_start = false;
                        found.insert(identifier(&group[i..]));
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(identifier(after));
        }
    }
    found.remove("");
    found
}

fn identifier(text: &str) -> String {
    text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// `text` with comments, string and character literals, and the bodies of `quote!` and
/// `quote_spanned!` blanked out.
fn code_only(text: &str) -> String {
    let without_literals = strip_comments_and_literals(text);
    let mut out = String::with_capacity(without_literals.len());
    let mut rest = without_literals.as_str();
    loop {
        let next = ["quote!", "quote_spanned!"].iter().filter_map(|m| rest.find(m).map(|at| (at, m.len()))).min();
        let Some((at, len)) = next else { break };
        out.push_str(&rest[..at + len]);
        rest = &rest[at + len..];
        let body_start = rest.find(['{', '(', '[']).unwrap_or(rest.len());
        out.push_str(&rest[..body_start]);
        rest = &rest[body_start..];
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn strip_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if (c == 'r' || (c == 'b' && at(i + 1) == 'r'))
            && !at(i.wrapping_sub(1)).is_alphanumeric()
            && matches!(at(i + 1 + usize::from(c == 'b')), '"' | '#')
        {
            // A raw string: `r"..."`, `r#"..."#`, `br"..."`.
            let mut j = i + 1 + usize::from(c == 'b');
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (at(i + 2) == '\'' || at(i + 1) == '\\') {
            // A character literal (a lifetime has no closing quote).
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[test]
fn references_are_read_from_paths_and_use_groups() {
    let text =
        "use crate::model::{Shape, ShapeId};\nuse crate::{naming, pattern::Engine,\n  rules::endpoint::{a, b}};\n\
                fn f() { crate::ir::lower(); }";
    let found: Vec<String> = crate_references(text).into_iter().collect();
    assert_eq!(found, ["ir", "model", "naming", "pattern", "rules"]);
}

#[test]
fn comments_strings_and_generated_tokens_are_not_references() {
    let text = "//! See [`crate::docs`].\n/* crate::write /* nested */ crate::write */\n\
                let s = \"crate::naming\"; let r = r#\"crate::\"pattern\"#; let c = '\"'; let l: &'static str = s;\n\
                let tokens = quote! { use crate::types::Thing; { crate::error::E } };\n\
                pub(crate) use runtime_crate::x; $crate::emit::y; crate::model::Real;";
    let found: Vec<String> = crate_references(text).into_iter().collect();
    assert_eq!(found, ["model"]);
}

#[test]
fn a_pair_that_uses_each_other_is_named_with_both_files() {
    let mut graph = Graph::new();
    graph.entry("model".into()).or_default().insert("rules".into(), "model.rs".into());
    graph.entry("rules".into()).or_default().insert("model".into(), "rules.rs".into());
    graph.entry("emit".into()).or_default().insert("model".into(), "emit/de.rs".into());
    let circles = mutual_uses(&graph);
    assert_eq!(circles, ["`model` and `rules`: model.rs uses `crate::rules`, and rules.rs uses `crate::model`"]);
}

#[test]
fn a_circle_of_three_is_found() {
    let mut graph = Graph::new();
    for (from, to) in [("emit", "ir"), ("ir", "model"), ("model", "naming"), ("model", "emit")] {
        graph.entry(from.into()).or_default().insert(to.into(), format!("{from}.rs").into());
    }
    assert_eq!(longer_circle(&graph).unwrap(), ["emit", "ir", "model", "emit"]);
    graph.get_mut("model").unwrap().remove("emit");
    assert_eq!(longer_circle(&graph), None);
}
