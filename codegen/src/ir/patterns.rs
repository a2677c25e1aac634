//! Lowering of `@pattern` traits: each distinct pattern becomes one checked constant, or a warning
//! saying why it is not enforced.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::ShapeId;
use crate::{naming, pattern, pattern_engine};

use super::lower::Lowerer;
use super::{PatternConst, Structure, Ty, TyKind, TypeDef, TypeDefKind, UnenforcedPattern, Warning};

impl Lowerer<'_> {
    /// The constant that enforces `ecma`, or why it cannot be enforced (recorded as a warning at
    /// `path`, the traits object holding it, and never an error: the service still checks it).
    ///
    /// A constant may still be dropped once every pattern is known, when the crate's engine refuses
    /// it ([`Lowerer::drop_refused_patterns`]).
    pub(super) fn pattern_const(&mut self, ecma: &str, owner: &ShapeId, path: &str) -> Result<String, String> {
        let location = format!("{path}.\"smithy.api#pattern\"");
        if let Some(known) = self.patterns.get(ecma) {
            let name = known.name.clone();
            self.pattern_uses.entry(ecma.to_string()).or_default().insert(location, owner.clone());
            return Ok(name);
        }
        let translated = match self.unenforced.get(ecma) {
            Some(reason) => Err(reason.clone()),
            None => pattern::translate(ecma).map_err(|e| e.to_string()),
        };
        let translated = match translated {
            Ok(translated) => translated,
            Err(reason) => {
                self.unenforced.insert(ecma.to_string(), reason.clone());
                self.warn_unenforced_pattern(ecma, owner, location, &reason);
                return Err(reason);
            }
        };
        self.pattern_uses.entry(ecma.to_string()).or_default().insert(location, owner.clone());
        let base = format!("{}_PATTERN", naming::screaming(owner.name()));
        let mut name = base.clone();
        let mut n = 2;
        while self.patterns.values().any(|existing| existing.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.patterns.insert(
            ecma.to_string(),
            PatternConst {
                name: name.clone(),
                ecma: ecma.to_string(),
                regex: translated.regex,
                engine: translated.engine,
                unicode: translated.unicode,
            },
        );
        Ok(name)
    }

    pub(super) fn warn_unenforced_pattern(&mut self, ecma: &str, owner: &ShapeId, location: String, reason: &str) {
        let message = format!("pattern `{ecma}` of `{owner}` is not enforced (the service still checks it): {reason}");
        self.warnings.entry(location.clone()).or_insert(Warning {
            file: self.model.file.clone(),
            shape: owner.to_string(),
            location,
            message,
        });
    }

    /// Forgets the patterns that only members of error structures carry, and those members' links
    /// to their constants. Errors are read from responses, never validated, so such a constant
    /// would be a static nothing checks (an unused item, an error under `-D warnings`) and could
    /// pull in a pattern engine no check runs on.
    pub(super) fn drop_unchecked_patterns(&mut self, types: &mut [TypeDef]) {
        fn collect(ty: &Ty, used: &mut BTreeSet<String>) {
            used.extend(ty.constraints.pattern.iter().cloned());
            match &ty.kind {
                TyKind::List { member, .. } => collect(member, used),
                TyKind::Map { key, value, .. } => {
                    collect(key, used);
                    collect(value, used);
                }
                _ => {}
            }
        }
        fn forget(ty: &mut Ty) {
            ty.constraints.pattern = None;
            match &mut ty.kind {
                TyKind::List { member, .. } => forget(member),
                TyKind::Map { key, value, .. } => {
                    forget(key);
                    forget(value);
                }
                _ => {}
            }
        }
        let mut used = BTreeSet::new();
        for def in types.iter_mut() {
            match &mut def.kind {
                TypeDefKind::Structure(Structure { fields, error: Some(_), .. }) => {
                    fields.iter_mut().for_each(|field| forget(&mut field.ty));
                }
                TypeDefKind::Structure(Structure { fields, .. }) | TypeDefKind::Union(fields) => {
                    fields.iter().for_each(|field| collect(&field.ty, &mut used));
                }
                TypeDefKind::Enum(_) | TypeDefKind::IntEnum(_) => {}
            }
        }
        self.patterns.retain(|_, constant| used.contains(&constant.name));
        let patterns = &self.patterns;
        self.pattern_uses.retain(|ecma, _| patterns.contains_key(ecma));
    }

    /// Compiles every pattern constant with the engine the crate will run it on, and treats one the
    /// engine refuses (its compiled form is over the engine's size limit) like a pattern no engine
    /// runs: a warning at each trait that uses it, no check, and a note in the docs of the members
    /// in `types`. Then settles the crate's engine and Unicode tables.
    ///
    /// The crate's engine is the most capable one any of its patterns needs, so a pattern is
    /// compiled with that engine rather than its own; when dropping patterns leaves a leaner engine
    /// enough, the rest are compiled again with that one. Each distinct translation is compiled once
    /// per engine.
    pub(super) fn drop_refused_patterns(&mut self, types: &mut [TypeDef]) {
        let mut verdicts: BTreeMap<(pattern::Engine, String), Result<(), pattern_engine::Refusal>> = BTreeMap::new();
        let mut refused: BTreeMap<String, UnenforcedPattern> = BTreeMap::new();
        while let Some(engine) = self.patterns.values().map(|p| p.engine).max() {
            let mut newly_refused = Vec::new();
            for (ecma, constant) in &self.patterns {
                let verdict = verdicts
                    .entry((engine, constant.regex.clone()))
                    .or_insert_with(|| pattern_engine::compile(engine, &constant.regex));
                if let Err(refusal) = verdict {
                    newly_refused.push((ecma.clone(), constant.engine, refusal.to_string()));
                }
            }
            if newly_refused.is_empty() {
                break;
            }
            // A refused pattern that needs this engine runs on no other, so those go first: without
            // them a leaner engine may be enough, and may build the others.
            if newly_refused.iter().any(|(_, needs, _)| *needs == engine) {
                newly_refused.retain(|(_, needs, _)| *needs == engine);
            }
            for (ecma, _, reason) in newly_refused {
                let Some(constant) = self.patterns.remove(&ecma) else { continue };
                for (location, owner) in self.pattern_uses.remove(&ecma).unwrap_or_default() {
                    self.warn_unenforced_pattern(&ecma, &owner, location, &reason);
                }
                refused.insert(constant.name, UnenforcedPattern { pattern: ecma, reason });
            }
        }
        self.features.pattern_engine = self.patterns.values().map(|p| p.engine).max();
        self.features.pattern_tables =
            self.patterns.values().fold(pattern::UnicodeTables::default(), |tables, p| tables.union(p.unicode));
        if refused.is_empty() {
            return;
        }
        fn unenforce(ty: &mut Ty, refused: &BTreeMap<String, UnenforcedPattern>) {
            if let Some(unenforced) = ty.constraints.pattern.as_ref().and_then(|name| refused.get(name)) {
                ty.unenforced_pattern = Some(unenforced.clone());
                ty.constraints.pattern = None;
            }
            match &mut ty.kind {
                TyKind::List { member, .. } => unenforce(member, refused),
                TyKind::Map { key, value, .. } => {
                    unenforce(key, refused);
                    unenforce(value, refused);
                }
                _ => {}
            }
        }
        for def in types {
            if let TypeDefKind::Structure(Structure { fields, .. }) | TypeDefKind::Union(fields) = &mut def.kind {
                for field in fields {
                    unenforce(&mut field.ty, &refused);
                }
            }
        }
    }
}
