//! The module structure, checked: no cycle between the top-level modules of `src/` (each may
//! use only modules below it), and the template engine depends on nothing but the JSON model
//! and source spans (no Cal.com knowledge: no events, deliveries, webhooks or lint rules).
//! A module's dependencies are the `crate::<module>` paths in its code (comments excluded).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("readable directory")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// Every source file of the crate as (path under `src/`, text), in path order.
fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files
        .iter()
        .map(|f| {
            let name = f.strip_prefix(src()).expect("under src").display();
            let text = std::fs::read_to_string(f).expect("readable source");
            (name.to_string(), text)
        })
        .collect()
}

/// Top-level module name → the files that make it up (`x.rs`, `x/…`).
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(src()).expect("src/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .to_string();
        // The crate root and the wasm adapters (which use everything) are not modules here.
        if name == "lib" || name == "wasm" {
            continue;
        }
        rust_files(&path, out.entry(name).or_default());
    }
    out
}

/// The other top-level modules `files` name as `crate::<module>`.
fn dependencies(files: &[PathBuf], names: &BTreeSet<String>, own: &str) -> BTreeSet<String> {
    let mut deps = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("readable source");
        for line in text.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != own && names.contains(&name) {
                    deps.insert(name);
                }
            }
        }
    }
    deps
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(name, files)| (name.clone(), dependencies(files, &names, name)))
        .collect()
}

/// A cycle through `node`, if any (depth-first search).
fn find_cycle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    node: &str,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(i) = path.iter().position(|n| n == node) {
        let mut cycle = path[i..].to_vec();
        cycle.push(node.to_string());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    path.push(node.to_string());
    for dep in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = find_cycle(graph, dep, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(node.to_string());
    None
}

#[test]
fn no_cycle_between_top_level_modules() {
    let graph = graph();
    assert!(graph.contains_key("template") && graph.contains_key("event"));
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = find_cycle(&graph, node, &mut Vec::new(), &mut done) {
            panic!(
                "module cycle: {}\nall dependencies: {graph:#?}",
                cycle.join(" → ")
            );
        }
    }
}

#[test]
fn the_template_engine_knows_nothing_of_cal_com() {
    let graph = graph();
    let deps = &graph["template"];
    let allowed: BTreeSet<String> = ["json", "span"].iter().map(|s| s.to_string()).collect();
    assert!(
        deps.is_subset(&allowed),
        "src/template may use only json and span, uses {deps:?}"
    );
    for leaf in ["json", "span", "time"] {
        assert!(
            graph[leaf].is_empty() || leaf == "json" && graph[leaf].iter().all(|d| d == "span"),
            "{leaf} is a leaf module, uses {:?}",
            graph[leaf]
        );
    }
}

#[test]
fn the_checker_sees_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["a".to_string()].into());
    let cycle = find_cycle(&graph, "a", &mut Vec::new(), &mut BTreeSet::new());
    assert_eq!(cycle, Some(vec!["a".into(), "b".into(), "a".into()]));
}

/// `unsafe` is denied crate-wide (src/lib.rs); the only files allowed it are the wasm build's
/// allocator, which documents every invariant.
#[test]
fn unsafe_code_only_in_the_wasm_allocator() {
    let allowed: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| text.contains("allow(unsafe_code)"))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(allowed, ["wasm/alloc.rs", "wasm/heap.rs"]);
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    assert!(lib.contains("#![deny(unsafe_code)]"));
}

/// No hash table anywhere in the crate: on wasm32-unknown-unknown std has no randomness, so
/// `RandomState` seeds SipHash from a stack and a heap address, and hostile keys (a payload's,
/// a template's paths, a request's triggers) could be chosen to collide. Ordered maps
/// (`json::RunMap`) cost O(log n) per key whatever the keys are.
#[test]
fn no_hash_table_in_the_crate() {
    let found: Vec<String> = sources()
        .iter()
        .flat_map(|(name, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| !line.trim_start().starts_with("//"))
                .filter(|(_, line)| {
                    ["HashMap", "HashSet", "RandomState", "hashbrown"]
                        .iter()
                        .any(|word| line.contains(word))
                })
                .map(move |(at, line)| format!("{name}:{}: {}", at + 1, line.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "hash tables in src:\n{}",
        found.join("\n")
    );
}
