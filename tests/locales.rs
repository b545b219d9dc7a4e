//! Every language has every message, and every message the code asks for exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGUAGES: [&str; 4] = ["es", "en", "fr", "pt"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Fluent files every language has: supporters' words, staff's words, dates, and the
/// words of printed documents, the review's and the organisation's.
const FILES: [&str; 6] = [
    "main.ftl",
    "admin.ftl",
    "dates.ftl",
    "documents.ftl",
    "review.ftl",
    "organisation.ftl",
];

/// Message ids defined in one language's files, with the variables each uses.
fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    FILES
        .iter()
        .flat_map(|file| messages_in(lang, file))
        .collect()
}

fn messages_in(lang: &str, file: &str) -> BTreeMap<String, BTreeSet<String>> {
    let path = root().join("locales").join(lang).join(file);
    let text = std::fs::read_to_string(&path).expect("the locale file exists");
    let mut messages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if let Some((id, _)) = line.split_once(" =")
            && !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            current = Some(id.to_owned());
            messages.entry(id.to_owned()).or_default();
        }
        if let Some(id) = &current {
            let variables = line.split("{ $").skip(1).filter_map(|rest| {
                rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .map(str::to_owned)
            });
            messages.entry(id.clone()).or_default().extend(variables);
        }
    }
    messages
}

#[test]
fn every_language_defines_the_same_messages_with_the_same_variables() {
    for file in FILES {
        let english = messages_in("en", file);
        assert!(!english.is_empty(), "the English {file} was read");
        for lang in LANGUAGES {
            let other = messages_in(lang, file);
            let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang}/{file} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang}/{file} has keys English lacks: {extra:?}"
            );
            for (key, variables) in &english {
                assert_eq!(
                    &other[key], variables,
                    "{lang}/{file}: {key} uses other variables"
                );
            }
        }
    }
}

#[test]
fn staff_pages_have_every_word_in_every_language() {
    let english = messages_in("en", "admin.ftl");
    assert!(english.len() > 150, "the staff words were read");
    for lang in LANGUAGES {
        assert_eq!(
            messages_in(lang, "admin.ftl").len(),
            english.len(),
            "{lang}"
        );
    }
}

#[test]
fn no_language_repeats_a_message() {
    for lang in LANGUAGES {
        let mut seen = BTreeSet::new();
        for file in FILES {
            for id in messages_in(lang, file).into_keys() {
                assert!(seen.insert(id.clone()), "{lang}: {id} is defined twice");
            }
        }
    }
}

fn files_under(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("readable directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, extension, found);
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
}

/// The string literals that begin with `prefix` followed by a message id.
fn ids_after(text: &str, prefix: &str) -> Vec<String> {
    text.match_indices(prefix)
        .filter_map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            let end = rest.find('"')?;
            let id = &rest[..end];
            let looks_like_id = !id.is_empty()
                && id.contains('-')
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            looks_like_id.then(|| id.to_owned())
        })
        .collect()
}

#[test]
fn every_message_the_code_and_templates_use_is_defined() {
    let defined = messages("en");
    let families: BTreeSet<&str> = defined.keys().filter_map(|k| k.split('-').next()).collect();
    let mut used = BTreeSet::new();

    let mut templates = Vec::new();
    files_under(&root().join("templates"), "html", &mut templates);
    files_under(&root().join("templates"), "txt", &mut templates);
    for file in &templates {
        let text = std::fs::read_to_string(file).expect("template");
        for call in ["t(\"", "t1(\"", "t2(\"", "plural(\""] {
            used.extend(ids_after(&text, call));
        }
    }
    // In Rust code, message ids are passed around as plain literals ("form-stale"); a
    // literal counts when it starts with one of the families of ids ("form-", "error-").
    let mut sources = Vec::new();
    files_under(&root().join("src"), "rs", &mut sources);
    for file in &sources {
        let text = std::fs::read_to_string(file).expect("source");
        used.extend(
            ids_after(&text, "\"")
                .into_iter()
                .filter(|id| id.split('-').next().is_some_and(|f| families.contains(f))),
        );
    }

    assert!(
        used.len() > 40,
        "the scan found the messages in use ({})",
        used.len()
    );
    let undefined: Vec<_> = used
        .iter()
        .filter(|id| !defined.contains_key(*id))
        .collect();
    assert!(undefined.is_empty(), "used but not defined: {undefined:?}");
}
