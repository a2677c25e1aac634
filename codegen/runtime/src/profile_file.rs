//! The AWS shared configuration files, `~/.aws/config` and `~/.aws/credentials`: where they are, how
//! they parse, and which profile is chosen.
//!
//! Credentials providers (`profile_credentials`), the region lookup (`region`) and the IMDS settings
//! all read profiles through [`ProfileSet`], so the files are parsed by one set of rules:
//!
//! - **Where.** The config file is `AWS_CONFIG_FILE`, else `~/.aws/config`; the credentials file is
//!   `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`. `~` is `HOME`, or `USERPROFILE` where
//!   `HOME` is unset (Windows), and a leading `~/` in either variable is expanded too. A file that does
//!   not exist is simply absent.
//! - **Which profile.** An explicit choice (the CLI's `--profile`, `Config::profile`), else
//!   `AWS_PROFILE`, else `default`.
//! - **Sections.** In the config file a profile is `[profile NAME]`; only `default` may drop the
//!   prefix, and when both `[default]` and `[profile default]` appear the prefixed one wins and the
//!   bare one is ignored whole. In the credentials file a profile is `[NAME]`, and a `[profile NAME]`
//!   section there is ignored. Names are trimmed, may hold letters, digits and `- / . % @ _ : +`, and a
//!   section with any other name (or another kind of section, such as `[sso-session x]`) is skipped
//!   with its properties. The config file's `[services NAME]` sections (service-specific settings,
//!   such as endpoint URLs, that a profile names with `services = NAME`) are kept apart from the
//!   profiles: [`ProfileSet::services`].
//! - **Lines.** Blank lines are ignored. A line starting with `#` or `;` is a comment, and so is the
//!   rest of a section line after its `]`. `name = value` sets a property: both sides are trimmed, the
//!   name is matched without regard to case, the value may be empty or hold `=`, and a `#` or `;`
//!   preceded by whitespace starts a comment (one directly after a character is part of the value).
//!   A property whose name has characters outside the set above is ignored.
//! - **Continuations.** An indented line after a property continues its value on a new line (the
//!   line is trimmed; comment characters are kept). After a property with an empty value, indented
//!   lines are sub-properties (`name = value` each), as the `s3` settings use.
//! - **Merging.** A section that appears twice is merged, a property set twice keeps its last value,
//!   and a property in the credentials file wins over the same property of the same profile in the
//!   config file.
//!
//! Anything else (a section line without `]`, a property before any section or without `=`, a
//! property or sub-property without a name, a continuation with nothing to continue) is an error that
//! names the file and the line number, never the line's text, which may hold a secret. The parser is
//! written here rather than taken from an INI crate because the AWS dialect (prefixes, continuations,
//! sub-properties, which comments count) is its own and fits in a page.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::bounded_file::{read_text, Limits};
use super::credentials::{CredentialsError, CredentialsErrorKind, Environment};

/// Which of the two files a text comes from; the section rules differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[profile NAME]` sections (and `[default]`).
    Config,
    /// `~/.aws/credentials`: `[NAME]` sections.
    Credentials,
}

/// One profile: its name and its properties (names lower-cased).
///
/// `Debug` lists property names only: values include secret keys.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: HashMap<String, String>,
}

impl Profile {
    /// A profile with these properties (names are lower-cased), e.g. for tests.
    pub fn new<K: AsRef<str>, V: Into<String>>(
        name: impl Into<String>,
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let properties = properties.into_iter().map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v.into())).collect();
        Profile { name: name.into(), properties }
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `property` (case-insensitive), as written; `None` when it is absent or empty.
    pub fn get(&self, property: &str) -> Option<&str> {
        let value = match self.properties.get(property) {
            Some(value) => value,
            None => self.properties.get(&property.to_ascii_lowercase())?,
        };
        Some(value.as_str()).filter(|v| !v.is_empty())
    }

    /// The sub-property `name` of `property` (`endpoint_url` under `dynamodb =` in a services
    /// section), if both are set; the name is matched without regard to case.
    pub fn sub_property(&self, property: &str, name: &str) -> Option<&str> {
        self.get(property)?.lines().find_map(|line| {
            let (key, value) = line.split_once('=')?;
            let value = value.trim();
            (key.trim().eq_ignore_ascii_case(name) && !value.is_empty()).then_some(value)
        })
    }

    /// Whether `property` is set (even to an empty value).
    pub fn contains(&self, property: &str) -> bool {
        self.properties.contains_key(&property.to_ascii_lowercase())
    }

    /// The property names, sorted.
    pub fn property_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.properties.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Every property as written, empty values included (for tests and tools).
    pub fn properties(&self) -> &HashMap<String, String> {
        &self.properties
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile").field("name", &self.name).field("properties", &self.property_names()).finish()
    }
}

/// A syntax error: the 1-based line and what is wrong with it (never the line's text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong.
    pub problem: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for ParseError {}

/// Whether `name` may name a profile or a property.
fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-/.%@_:+".contains(&b))
}

/// Where the property lines of the current section go.
#[derive(Clone, PartialEq, Eq)]
enum Target {
    /// No section line yet.
    Nothing,
    /// A section that is skipped (bad name, unprefixed in the config file, another kind).
    Skipped,
    /// A profile.
    Profile(String),
    /// `[default]` in the config file, which `[profile default]` overrides.
    BareDefault,
    /// `[services NAME]` in the config file.
    Services(String),
}

/// The property a continuation line would extend.
enum Last {
    None,
    /// A property of a skipped section, or one with an invalid name: continuations are checked but dropped.
    Dropped {
        sub_properties: bool,
    },
    Kept {
        name: String,
        sub_properties: bool,
    },
}

/// Parses one file's text into profiles (name -> lower-cased property name -> value).
pub fn parse(text: &str, kind: FileKind) -> Result<HashMap<String, Profile>, ParseError> {
    parse_sections(text, kind).map(|sections| sections.profiles)
}

/// The sections of one file: profiles, and (config file only) `[services NAME]` sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sections {
    /// Profiles by name.
    pub profiles: HashMap<String, Profile>,
    /// `[services NAME]` sections by name, each read like a profile (service names with sub-properties).
    pub services: HashMap<String, Profile>,
}

/// Parses one file's text into its profiles and services sections.
pub fn parse_sections(text: &str, kind: FileKind) -> Result<Sections, ParseError> {
    let mut profiles: HashMap<String, Profile> = HashMap::new();
    let mut services: HashMap<String, Profile> = HashMap::new();
    let mut bare_default: Option<Profile> = None;
    let mut prefixed_default = false;
    let mut target = Target::Nothing;
    let mut last = Last::None;

    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let error = |problem| Err(ParseError { line: line_no, problem });

        if line.starts_with([' ', '\t']) {
            if target == Target::Nothing {
                return error("expected a profile definition before this indented line");
            }
            let content = line.trim();
            let sub_properties = match &last {
                Last::None => return error("expected a property definition, found a continuation line"),
                Last::Dropped { sub_properties } | Last::Kept { sub_properties, .. } => *sub_properties,
            };
            if sub_properties {
                let Some((name, _)) = content.split_once('=') else {
                    return error("expected an '=' sign defining a sub-property");
                };
                if name.trim().is_empty() {
                    return error("a sub-property has no name");
                }
            }
            if let Last::Kept { name, .. } = &last {
                let profile = section_mut(&mut profiles, &mut services, &mut bare_default, &target);
                if let Some(value) = profile.and_then(|p| p.properties.get_mut(name)) {
                    value.push('\n');
                    value.push_str(content);
                }
            }
            continue;
        }

        if let Some(rest) = line.strip_prefix('[') {
            let Some(end) = rest.find(']') else {
                return error("a profile definition must end with ']'");
            };
            let after = rest[end + 1..].trim_start();
            if !(after.is_empty() || after.starts_with(['#', ';'])) {
                return error("unexpected text after a profile definition");
            }
            last = Last::None;
            target = section_target(rest[..end].trim(), kind);
            match &target {
                Target::Profile(name) => {
                    if kind == FileKind::Config && name == "default" {
                        prefixed_default = true;
                    }
                    profiles
                        .entry(name.clone())
                        .or_insert_with(|| Profile { name: name.clone(), ..Profile::default() });
                }
                Target::BareDefault => {
                    bare_default.get_or_insert_with(|| Profile { name: "default".into(), ..Profile::default() });
                }
                Target::Services(name) => {
                    services
                        .entry(name.clone())
                        .or_insert_with(|| Profile { name: name.clone(), ..Profile::default() });
                }
                Target::Nothing | Target::Skipped => {}
            }
            continue;
        }

        if target == Target::Nothing {
            return error("expected a profile definition before this property");
        }
        let Some((name, value)) = line.split_once('=') else {
            return error("expected an '=' sign defining a property");
        };
        let name = name.trim();
        if name.is_empty() {
            return error("a property has no name");
        }
        let value = strip_comment(value).trim();
        let sub_properties = value.is_empty();
        let profile = section_mut(&mut profiles, &mut services, &mut bare_default, &target);
        match profile {
            Some(profile) if is_identifier(name) => {
                let name = name.to_ascii_lowercase();
                profile.properties.insert(name.clone(), value.to_owned());
                last = Last::Kept { name, sub_properties };
            }
            _ => last = Last::Dropped { sub_properties },
        }
    }

    if let (Some(default), false) = (bare_default, prefixed_default) {
        profiles.insert("default".into(), default);
    }
    Ok(Sections { profiles, services })
}

/// What a section line's trimmed inside (`profile foo`, `default`, `foo`) opens.
fn section_target(inside: &str, kind: FileKind) -> Target {
    let name = match kind {
        FileKind::Credentials => inside,
        FileKind::Config if inside == "default" => return Target::BareDefault,
        FileKind::Config => match inside.strip_prefix("profile") {
            Some(rest) if rest.starts_with([' ', '\t']) => rest.trim(),
            _ if inside.starts_with("services ") || inside.starts_with("services\t") => {
                let name = inside["services".len()..].trim();
                return if is_identifier(name) { Target::Services(name.to_owned()) } else { Target::Skipped };
            }
            // `[profilefoo]`, `[foo]`, `[sso-session foo]`: not profiles.
            _ => return Target::Skipped,
        },
    };
    if is_identifier(name) {
        Target::Profile(name.to_owned())
    } else {
        Target::Skipped
    }
}

fn section_mut<'a>(
    profiles: &'a mut HashMap<String, Profile>,
    services: &'a mut HashMap<String, Profile>,
    bare_default: &'a mut Option<Profile>,
    target: &Target,
) -> Option<&'a mut Profile> {
    match target {
        Target::Profile(name) => profiles.get_mut(name),
        Target::Services(name) => services.get_mut(name),
        Target::BareDefault => bare_default.as_mut(),
        Target::Nothing | Target::Skipped => None,
    }
}

/// Cuts a property value at a `#` or `;` that follows whitespace.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if (b == b'#' || b == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &value[..i];
        }
    }
    value
}

/// The home directory: `HOME`, else `USERPROFILE` (set on Windows, where `HOME` usually is not).
pub fn home_dir(env: &Environment) -> Option<String> {
    env.get("HOME").or_else(|| env.get("USERPROFILE"))
}

/// The path `variable` names (with `~` expanded), else `~/.aws/<default_name>`; `None` without a home.
fn file_path(env: &Environment, variable: &str, default_name: &str) -> Result<Option<PathBuf>, CredentialsError> {
    if let Some(path) = env.get(variable) {
        let rest = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")).or((path == "~").then_some(""));
        return match rest {
            None => Ok(Some(PathBuf::from(path))),
            Some(rest) => match home_dir(env) {
                Some(home) => Ok(Some(Path::new(&home).join(rest))),
                None => Err(CredentialsError::invalid_configuration(format!(
                    "profile: {variable} starts with ~ but neither HOME nor USERPROFILE is set"
                ))),
            },
        };
    }
    Ok(home_dir(env).map(|home| Path::new(&home).join(".aws").join(default_name)))
}

/// The config file: `AWS_CONFIG_FILE`, else `~/.aws/config`.
pub fn config_file_path(env: &Environment) -> Result<Option<PathBuf>, CredentialsError> {
    file_path(env, "AWS_CONFIG_FILE", "config")
}

/// The credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
pub fn credentials_file_path(env: &Environment) -> Result<Option<PathBuf>, CredentialsError> {
    file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

/// Both files, merged, and the profile chosen.
#[derive(Clone, Debug)]
pub struct ProfileSet {
    profiles: HashMap<String, Profile>,
    services: HashMap<String, Profile>,
    selected: String,
    explicit: bool,
    /// The files looked at, each with whether it existed, for messages.
    files: Vec<(PathBuf, bool)>,
}

/// Where a [`ProfileSet`] comes from: the environment, with optional overrides.
#[derive(Clone, Debug, Default)]
pub struct ProfileSource {
    /// Reads this profile instead of `AWS_PROFILE` / `default`.
    pub profile: Option<String>,
    /// Reads this config file instead of the one the environment names.
    pub config_file: Option<PathBuf>,
    /// Reads this credentials file instead of the one the environment names.
    pub credentials_file: Option<PathBuf>,
}

impl ProfileSet {
    /// Reads the files `env` points to (or `source`'s overrides) and picks the profile.
    ///
    /// A missing file (or no home directory) is no error; an unreadable or malformed one is, naming
    /// the file (and line).
    pub fn load(env: &Environment, source: &ProfileSource) -> Result<ProfileSet, CredentialsError> {
        let config = match &source.config_file {
            Some(path) => Some(path.clone()),
            None => config_file_path(env)?,
        };
        let credentials = match &source.credentials_file {
            Some(path) => Some(path.clone()),
            None => credentials_file_path(env)?,
        };
        let mut files = Vec::with_capacity(2);
        let mut texts = [None, None];
        for (slot, path) in texts.iter_mut().zip([config, credentials]) {
            let Some(path) = path else { continue };
            match read_text(&path, Limits::PROFILE_FILE) {
                Ok(text) => {
                    *slot = Some((text, path.clone()));
                    files.push((path, true));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => files.push((path, false)),
                Err(e) => {
                    return Err(CredentialsError::new(
                        CredentialsErrorKind::Io,
                        format!("profile: cannot read {}: {e}", path.display()),
                    ))
                }
            }
        }
        let [config_text, credentials_text] = texts;
        let parse_file = |text: Option<(String, PathBuf)>, kind| match text {
            None => Ok(Sections::default()),
            Some((text, path)) => parse_sections(&text, kind)
                .map_err(|e| CredentialsError::invalid_configuration(format!("profile: {} {e}", path.display()))),
        };
        let config = parse_file(config_text, FileKind::Config)?;
        let credentials = parse_file(credentials_text, FileKind::Credentials)?.profiles;
        let (selected, explicit) = match source.profile.clone().or_else(|| env.get("AWS_PROFILE")) {
            Some(name) => (name.trim().to_owned(), true),
            None => ("default".to_owned(), false),
        };
        Ok(ProfileSet {
            profiles: merge(config.profiles, credentials),
            services: config.services,
            selected,
            explicit,
            files,
        })
    }

    /// A set from file texts instead of files (for tests and tools); `selected` is the chosen profile.
    pub fn from_texts(
        config: Option<&str>,
        credentials: Option<&str>,
        selected: Option<&str>,
    ) -> Result<ProfileSet, ParseError> {
        let config = config.map(|t| parse_sections(t, FileKind::Config)).transpose()?.unwrap_or_default();
        let credentials = credentials.map(|t| parse(t, FileKind::Credentials)).transpose()?.unwrap_or_default();
        Ok(ProfileSet {
            profiles: merge(config.profiles, credentials),
            services: config.services,
            selected: selected.unwrap_or("default").to_owned(),
            explicit: selected.is_some(),
            files: Vec::new(),
        })
    }

    /// The chosen profile's name.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// Whether the profile was chosen (`AWS_PROFILE` or an override) rather than `default` by default.
    pub fn is_explicit(&self) -> bool {
        self.explicit
    }

    /// The chosen profile, if either file has it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// The profile called `name`, if either file has it.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The config file's `[services NAME]` section called `name`, if it has one.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// Every profile name, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The files read, for messages: `a/config and a/credentials`, each marked when it does not exist.
    pub fn describe_files(&self) -> String {
        if self.files.is_empty() {
            return "no profile files (neither HOME nor USERPROFILE is set)".to_owned();
        }
        let shown: Vec<String> = self
            .files
            .iter()
            .map(
                |(path, exists)| {
                    if *exists {
                        path.display().to_string()
                    } else {
                        format!("{} (does not exist)", path.display())
                    }
                },
            )
            .collect();
        shown.join(" and ")
    }

    /// Why the chosen profile gives nothing, when it is absent: `profile [x] not found in ...`.
    pub fn not_found_message(&self, name: &str) -> String {
        format!("profile: profile [{name}] not found in {}", self.describe_files())
    }
}

/// The credentials file's properties win over the config file's, profile by profile.
fn merge(config: HashMap<String, Profile>, credentials: HashMap<String, Profile>) -> HashMap<String, Profile> {
    let mut merged = config;
    for (name, profile) in credentials {
        merged
            .entry(name)
            .or_insert_with(|| Profile { name: profile.name.clone(), ..Profile::default() })
            .properties
            .extend(profile.properties);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a case expects: profiles with their properties, or an error containing a fragment.
    enum Expect {
        Profiles(&'static [(&'static str, &'static [(&'static str, &'static str)])]),
        Error(usize, &'static str),
    }

    struct Case {
        rule: &'static str,
        config: Option<&'static str>,
        credentials: Option<&'static str>,
        expect: Expect,
    }

    const fn config(rule: &'static str, text: &'static str, expect: Expect) -> Case {
        Case { rule, config: Some(text), credentials: None, expect }
    }

    const fn credentials(rule: &'static str, text: &'static str, expect: Expect) -> Case {
        Case { rule, config: None, credentials: Some(text), expect }
    }

    const fn both(rule: &'static str, config: &'static str, credentials: &'static str, expect: Expect) -> Case {
        Case { rule, config: Some(config), credentials: Some(credentials), expect }
    }

    use Expect::{Error, Profiles};

    /// Every rule of the module documentation, each with the smallest input that shows it.
    const CASES: &[Case] = &[
        config("an empty file has no profiles", "", Profiles(&[])),
        config("a profile may be empty", "[profile a]", Profiles(&[("a", &[])])),
        config("the prefix may be followed by a tab", "[profile\ta]", Profiles(&[("a", &[])])),
        config(
            "names are trimmed inside the brackets",
            "[  profile \t a \t ]\nk = v",
            Profiles(&[("a", &[("k", "v")])]),
        ),
        config(
            "names allow letters, digits and - / . % @ _ : +",
            "[profile Az09-/.%@_:+]\n[profile no!pe]\nk = v",
            Profiles(&[("Az09-/.%@_:+", &[])]),
        ),
        config(
            "a profile with a space in its name is skipped with its properties",
            "[profile a b]\nk = v",
            Profiles(&[]),
        ),
        config(
            "a skipped section does not swallow the next profile",
            "[profile a]\nk = 1\n[profile x y]\nk = 2\n[profile b]\nk = 3",
            Profiles(&[("a", &[("k", "1")]), ("b", &[("k", "3")])]),
        ),
        config("config sections need the prefix", "[a]\nk = v", Profiles(&[])),
        config("the prefix needs whitespace after it", "[profilea]\nk = v\n[profile b]", Profiles(&[("b", &[])])),
        config("default may drop the prefix", "[default]\nk = v", Profiles(&[("default", &[("k", "v")])])),
        config(
            "[profile default] wins over [default] when it comes first",
            "[profile default]\na = 1\n[default]\nb = 2",
            Profiles(&[("default", &[("a", "1")])]),
        ),
        config(
            "[profile default] wins over [default] when it comes last",
            "[default]\nb = 2\n[profile default]\na = 1",
            Profiles(&[("default", &[("a", "1")])]),
        ),
        config(
            "every [profile default] section merges, the bare one is dropped",
            "[profile default]\na = 1\n[default]\nb = 2\n[profile default]\nc = 3",
            Profiles(&[("default", &[("a", "1"), ("c", "3")])]),
        ),
        config("other kinds of section are skipped", "[sso-session s]\nk = v\n[profile a]", Profiles(&[("a", &[])])),
        credentials("credentials sections are bare names", "[a]\nk = v", Profiles(&[("a", &[("k", "v")])])),
        credentials("credentials sections with the prefix are skipped", "[profile a]\nk = v", Profiles(&[])),
        credentials("credentials names are trimmed", "[   a  ]\nk = v", Profiles(&[("a", &[("k", "v")])])),
        config("a section needs its closing bracket", "[profile a", Error(1, "must end with ']'")),
        config("nothing but a comment may follow a section", "[profile a] b", Error(1, "after a profile definition")),
        config(
            "comments may follow a section, adjacent or spaced",
            "[profile a]; one\n[profile b]#two\n[profile c]  ; three",
            Profiles(&[("a", &[]), ("b", &[]), ("c", &[])]),
        ),
        config("comment lines start with # or ;", "# one\n; two\n[profile a]\n#k = v\n;k = v", Profiles(&[("a", &[])])),
        config("blank lines are ignored", " \t\n[profile a]\n\t\n\nk = v\n \n", Profiles(&[("a", &[("k", "v")])])),
        config("CRLF line endings are fine", "[profile a]\r\nk = v\r\n", Profiles(&[("a", &[("k", "v")])])),
        config("an indented line is never a property", "[profile a]\n k = v", Error(2, "found a continuation")),
        config(
            "names and values are trimmed",
            "[profile a]\nk_ey \t=  \tv a l \t",
            Profiles(&[("a", &[("k_ey", "v a l")])]),
        ),
        config("names ignore case", "[profile a]\nKEY = 1\n[profile a]\nkey = 2", Profiles(&[("a", &[("key", "2")])])),
        config("values may hold '='", "[profile a]\nk = x=y==", Profiles(&[("a", &[("k", "x=y==")])])),
        config("values may be empty", "[profile a]\nk =", Profiles(&[("a", &[("k", "")])])),
        config("values may be Unicode", "[profile a]\nk = ünï ☃", Profiles(&[("a", &[("k", "ünï ☃")])])),
        config(
            "a # or ; after whitespace starts a comment",
            "[profile a]\nk = v # note; more\nl = w\t; note",
            Profiles(&[("a", &[("k", "v"), ("l", "w")])]),
        ),
        config(
            "a # or ; right after a character is part of the value",
            "[profile a]\nk = v#1\nl = w;2",
            Profiles(&[("a", &[("k", "v#1"), ("l", "w;2")])]),
        ),
        config("a property needs a section", "k = v", Error(1, "profile definition before this property")),
        config("a property needs '='", "[profile a]\nk : v", Error(2, "'=' sign defining a property")),
        config("a property needs a name", "[profile a]\n= v", Error(2, "has no name")),
        config(
            "a property with a bad name is ignored",
            "[profile a]\nk k = v\nj = w",
            Profiles(&[("a", &[("j", "w")])]),
        ),
        config(
            "an indented line continues the value, trimmed",
            "[profile a]\nk = v\n  more \t\n\tand more",
            Profiles(&[("a", &[("k", "v\nmore\nand more")])]),
        ),
        config(
            "continuations keep comment characters",
            "[profile a]\nk = v\n  x # y ; z",
            Profiles(&[("a", &[("k", "v\nx # y ; z")])]),
        ),
        config("a continuation needs a section", "  v", Error(1, "profile definition before this indented line")),
        config("a continuation needs a property", "[profile a]\n  v", Error(2, "found a continuation")),
        config(
            "a section line ends what a continuation could extend",
            "[profile a]\nk = v\n[profile a]\n  v",
            Error(4, "found a continuation"),
        ),
        config(
            "after an empty value, indented lines are sub-properties",
            "[profile a]\ns3 =\n  max_concurrent_requests = 10\n\n  region=us-west-2",
            Profiles(&[("a", &[("s3", "\nmax_concurrent_requests = 10\nregion=us-west-2")])]),
        ),
        config("a sub-property needs '='", "[profile a]\ns3 =\n  nothing", Error(3, "sub-property")),
        config("a sub-property needs a name", "[profile a]\ns3 =\n  = 1", Error(3, "sub-property has no name")),
        config("a sub-property may be empty", "[profile a]\ns3 =\n  x =", Profiles(&[("a", &[("s3", "\nx =")])])),
        config(
            "a sub-property's name is not checked",
            "[profile a]\ns3 =\n  x y = 1",
            Profiles(&[("a", &[("s3", "\nx y = 1")])]),
        ),
        config(
            "a repeated section merges and the last value wins",
            "[profile a]\nk = 1\nl = 1\n[profile b]\n[profile a]\nk = 2",
            Profiles(&[("a", &[("k", "2"), ("l", "1")]), ("b", &[])]),
        ),
        both(
            "profiles of both files merge",
            "[profile a]\nk = 1",
            "[a]\nl = 2",
            Profiles(&[("a", &[("k", "1"), ("l", "2")])]),
        ),
        both(
            "the credentials file wins",
            "[profile a]\nk = config",
            "[a]\nk = credentials",
            Profiles(&[("a", &[("k", "credentials")])]),
        ),
        both(
            "[profile default] and the credentials file's [default] merge",
            "[default]\nb = 2\n[profile default]\na = 1",
            "[default]\nc = 3",
            Profiles(&[("default", &[("a", "1"), ("c", "3")])]),
        ),
        both(
            "a profile in only one file is kept",
            "[profile a]\nk = 1",
            "[b]\nk = 2",
            Profiles(&[("a", &[("k", "1")]), ("b", &[("k", "2")])]),
        ),
    ];

    #[test]
    fn the_profile_file_rules() {
        for case in CASES {
            let result = ProfileSet::from_texts(case.config, case.credentials, None);
            match (&case.expect, result) {
                (Profiles(expected), Ok(set)) => {
                    let mut want: Vec<(&str, Vec<(String, String)>)> = expected
                        .iter()
                        .map(|(name, props)| {
                            let mut props: Vec<_> = props.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                            props.sort();
                            (*name, props)
                        })
                        .collect();
                    want.sort();
                    let got: Vec<(&str, Vec<(String, String)>)> = set
                        .names()
                        .into_iter()
                        .map(|name| {
                            let mut props: Vec<_> = set.get(name).unwrap().properties().clone().into_iter().collect();
                            props.sort();
                            (name, props)
                        })
                        .collect();
                    assert_eq!(got, want, "{}", case.rule);
                }
                (Error(line, fragment), Err(e)) => {
                    assert_eq!(e.line, *line, "{}: {e}", case.rule);
                    assert!(e.problem.contains(fragment), "{}: {e}", case.rule);
                }
                (Profiles(_), Err(e)) => panic!("{}: unexpected error {e}", case.rule),
                (Error(..), Ok(set)) => panic!("{}: expected an error, got {:?}", case.rule, set.names()),
            }
        }
    }

    #[test]
    fn get_ignores_case_and_empty_values() {
        let set = ProfileSet::from_texts(Some("[profile a]\nRegion = eu-west-1\nempty =\n"), None, Some("a")).unwrap();
        let profile = set.selected().unwrap();
        assert_eq!(profile.get("region"), Some("eu-west-1"));
        assert_eq!(profile.get("REGION"), Some("eu-west-1"));
        assert_eq!(profile.get("empty"), None);
        assert!(profile.contains("empty"));
        assert!(set.is_explicit());
    }

    #[test]
    fn services_sections_are_kept_apart_with_their_sub_properties() {
        let config = "[profile dev]\nservices = local\n[services local]\ndynamodb =\n  endpoint_url = http://localhost:8000\n  other = x\n\
                      codepipeline =\n  Endpoint_URL = http://localhost:9000\n[services\tbad name]\nk = v\n";
        let set = ProfileSet::from_texts(Some(config), Some("[services local]\nk = v\n"), Some("dev")).unwrap();
        assert_eq!(set.names(), ["dev"], "a services section is no profile, in either file");
        assert_eq!(set.selected().unwrap().get("services"), Some("local"));
        let local = set.services("local").unwrap();
        assert_eq!(local.sub_property("dynamodb", "endpoint_url"), Some("http://localhost:8000"));
        assert_eq!(local.sub_property("codepipeline", "endpoint_url"), Some("http://localhost:9000"));
        assert_eq!(local.sub_property("dynamodb", "missing"), None);
        assert_eq!(local.sub_property("sts", "endpoint_url"), None);
        assert!(set.services("bad name").is_none() && set.services("dev").is_none());
    }

    #[test]
    fn debug_shows_names_not_values() {
        let profile = Profile::new("p", [("aws_secret_access_key", "s3cr3t-value")]);
        let text = format!("{profile:?}");
        assert!(text.contains("aws_secret_access_key"), "{text}");
        assert!(!text.contains("s3cr3t-value"), "{text}");
        let set = ProfileSet::from_texts(None, Some("[p]\naws_secret_access_key = s3cr3t-value\n"), None).unwrap();
        assert!(!format!("{set:?}").contains("s3cr3t-value"));
    }

    #[test]
    fn errors_never_quote_the_line() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let text = format!("[default]\n{secret}\n");
        let error = parse(&text, FileKind::Credentials).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(!error.to_string().contains(secret));
    }

    /// A directory in the temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "runtime-profile-{tag}-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(path.join(".aws")).unwrap();
            TempDir(path)
        }

        fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.0.join(relative);
            std::fs::write(&path, text).unwrap();
            path
        }

        fn text(&self) -> String {
            self.0.display().to_string()
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn files_are_found_under_home_or_userprofile_or_the_variables() {
        let home = TempDir::new("home");
        home.write(".aws/config", "[profile c]\nregion = eu-west-1\n");
        home.write(".aws/credentials", "[k]\naws_access_key_id = A\n");
        let other = home.write("elsewhere", "[profile o]\n");
        for env in [
            Environment::from_pairs([("HOME", home.text())]),
            Environment::from_pairs([("USERPROFILE", home.text())]),
            Environment::from_pairs([
                ("HOME", home.text()),
                ("AWS_CONFIG_FILE", "~/.aws/config".to_owned()),
                ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials".to_owned()),
            ]),
        ] {
            let set = ProfileSet::load(&env, &ProfileSource::default()).unwrap();
            assert_eq!(set.names(), ["c", "k"]);
        }
        let env = Environment::from_pairs([("HOME", home.text()), ("AWS_CONFIG_FILE", other.display().to_string())]);
        let set = ProfileSet::load(&env, &ProfileSource::default()).unwrap();
        assert_eq!(set.names(), ["k", "o"]);
    }

    #[test]
    fn the_profile_is_the_override_then_aws_profile_then_default() {
        let none = Environment::from_pairs(Vec::<(String, String)>::new());
        let set = ProfileSet::load(&none, &ProfileSource::default()).unwrap();
        assert_eq!((set.selected_name(), set.is_explicit()), ("default", false));
        assert_eq!(set.describe_files(), "no profile files (neither HOME nor USERPROFILE is set)");

        let env = Environment::from_pairs([("AWS_PROFILE", "from-env")]);
        let set = ProfileSet::load(&env, &ProfileSource::default()).unwrap();
        assert_eq!((set.selected_name(), set.is_explicit()), ("from-env", true));
        let source = ProfileSource { profile: Some("chosen".into()), ..ProfileSource::default() };
        assert_eq!(ProfileSet::load(&env, &source).unwrap().selected_name(), "chosen");
    }

    #[test]
    fn missing_files_are_no_error_and_are_named() {
        let home = TempDir::new("empty");
        let set =
            ProfileSet::load(&Environment::from_pairs([("HOME", home.text())]), &ProfileSource::default()).unwrap();
        assert!(set.names().is_empty());
        let message = set.not_found_message("default");
        assert!(message.contains("profile [default] not found"), "{message}");
        assert!(message.contains("config (does not exist)"), "{message}");
        assert!(message.contains("credentials (does not exist)"), "{message}");
    }

    #[test]
    fn a_malformed_file_is_an_error_naming_file_and_line() {
        let home = TempDir::new("broken");
        let path = home.write(".aws/credentials", "[default]\naws_secret_access_key\n");
        let error =
            ProfileSet::load(&Environment::from_pairs([("HOME", home.text())]), &ProfileSource::default()).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains(&path.display().to_string()), "{error}");
        assert!(error.message().contains("line 2"), "{error}");

        let error = ProfileSet::load(&Environment::from_pairs([("AWS_CONFIG_FILE", "~/x")]), &ProfileSource::default())
            .unwrap_err();
        assert!(error.message().contains("neither HOME nor USERPROFILE"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_an_error_naming_the_limit_and_dev_null_is_empty() {
        let env =
            Environment::from_pairs([("AWS_CONFIG_FILE", "/dev/zero"), ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")]);
        let error = ProfileSet::load(&env, &ProfileSource::default()).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Io);
        assert!(error.message().contains("/dev/zero"), "{error}");
        assert!(error.message().contains("limit of 4194304 bytes"), "{error}");
        let env =
            Environment::from_pairs([("AWS_CONFIG_FILE", "/dev/null"), ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")]);
        assert!(ProfileSet::load(&env, &ProfileSource::default()).unwrap().names().is_empty());
    }
}
