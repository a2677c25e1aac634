//! Lowers `smithy.api#paginated` to each operation's paginator: the trait on the operation merged
//! over the service's defaults, its member paths resolved through the lowered input and output
//! structures and type-checked. An operation whose trait cannot be followed gets no paginator and a
//! warning naming it, never an error: the operation itself still works page by page. Also decides
//! what the generated CLI aggregates over the pages: the trait's `items`, or what botocore's
//! paginators file says when the generator is given one (`apply_botocore`).

use super::botocore_paginators::{BotocorePaginator, BotocorePaginators};
use super::types::{CliPaging, ItemsPath, MemberPath, Paginator, PathStep, TokenKind};
use super::{Field, Presence, Service, Structure, Ty, TyKind, TypeDefKind, Warning};
use crate::model::{Model, Paginated, ShapeId, ShapeKind};

/// Sets each operation's paginator from its `smithy.api#paginated` trait (merged over the
/// service's), and adds a warning for each operation whose trait cannot be followed.
/// Whether the structure has a streaming member (a `ByteStream`).
pub(super) fn streams(service: &Service, structure: &str) -> bool {
    service.structure(structure).fields.iter().any(|f| matches!(f.ty.kind, TyKind::ByteStream))
}

pub(crate) fn lower(model: &Model, service: &mut Service) {
    let defaults = model.shapes.get(&ShapeId::new(service.shape_id.clone())).and_then(|s| s.traits.paginated.clone());
    let mut found = Vec::with_capacity(service.operations.len());
    for op in &service.operations {
        let Some(shape) = model.shapes.get(&ShapeId::new(op.shape_id.clone())) else {
            found.push(None);
            continue;
        };
        let Some(own) = &shape.traits.paginated else {
            found.push(None);
            continue;
        };
        let trait_ = merge(defaults.as_ref(), own);
        // Each page resends the input, and a streaming body can be read only once.
        let resolved = if streams(service, &op.input) {
            Err("its input is a stream, which cannot be sent once per page".to_string())
        } else {
            resolve(service, &op.input, &op.output, &trait_)
        };
        match resolved {
            Ok(paginator) => found.push(Some(paginator)),
            Err(why) => {
                found.push(None);
                service.warnings.push(Warning {
                    file: model.file.clone(),
                    shape: op.shape_id.clone(),
                    location: format!("{}.\"smithy.api#paginated\"", shape.traits.json_path),
                    message: format!("operation `{}` gets no paginator: {why}", op.shape_id),
                });
            }
        }
    }
    for (op, paginator) in service.operations.iter_mut().zip(found) {
        op.paginator = paginator;
    }
    service.warnings.sort_by(|a, b| a.location.cmp(&b.location));
}

/// Makes the CLI aggregate what botocore's paginators file says for each selected operation with a
/// paginator (the AWS CLI's behaviour): its result keys, non-aggregate keys and `more_results`. An
/// operation the file does not name makes one call in the CLI, as in the AWS CLI. An entry that does
/// not fit the model (other tokens or page size, a path the output does not have) is a warning, and
/// the operation keeps what its trait alone gives; so is an operation the file paginates that the
/// model does not mark `@paginated`. A file that names none of the model's operations is an error.
pub(crate) fn apply_botocore(
    model: &Model,
    service: &mut Service,
    botocore: &BotocorePaginators,
) -> Result<(), crate::model::LoadError> {
    let model_operations: std::collections::BTreeSet<&str> = model
        .shapes
        .iter()
        .filter(|(_, shape)| matches!(shape.kind, ShapeKind::Operation { .. }))
        .map(|(id, _)| id.name())
        .collect();
    if !botocore.operations.is_empty()
        && !botocore.operations.keys().any(|name| model_operations.contains(name.as_str()))
    {
        return Err(crate::model::LoadError {
            file: botocore.file.clone(),
            location: "pagination".into(),
            message: format!(
                "names none of the operations of the model {}: is it the paginators file of another service?",
                model.file
            ),
        });
    }
    let defaults = model.shapes.get(&ShapeId::new(service.shape_id.clone())).and_then(|s| s.traits.paginated.clone());
    let mut warnings = Vec::new();
    let mut cli = Vec::with_capacity(service.operations.len());
    for op in &service.operations {
        let entry = botocore.operations.get(&op.name);
        let own =
            model.shapes.get(&ShapeId::new(op.shape_id.clone())).and_then(|shape| shape.traits.paginated.as_ref());
        let warn = |entry: &BotocorePaginator, message: String| Warning {
            file: botocore.file.clone(),
            shape: op.shape_id.clone(),
            location: entry.location.clone(),
            message,
        };
        let (Some(paginator), Some(own)) = (&op.paginator, own) else {
            // A trait the generator could not follow has its own warning already.
            if let (Some(entry), None) = (entry, own) {
                warnings.push(warn(
                    entry,
                    format!(
                        "botocore paginates `{}`, but the model does not mark it `@paginated`: its CLI command makes one call",
                        op.name
                    ),
                ));
            }
            cli.push(None);
            continue;
        };
        let Some(entry) = entry else {
            cli.push(Some(None));
            continue;
        };
        match botocore_cli_paging(service, op, &merge(defaults.as_ref(), own), paginator, entry) {
            Ok(paging) => cli.push(Some(Some(paging))),
            Err(why) => {
                warnings.push(warn(
                    entry,
                    format!(
                        "botocore's paginator for `{}` does not fit the model, so its CLI command pages as the trait alone says: {why}",
                        op.name
                    ),
                ));
                cli.push(None);
            }
        }
    }
    for (op, paging) in service.operations.iter_mut().zip(cli) {
        if let (Some(paginator), Some(paging)) = (op.paginator.as_mut(), paging) {
            paginator.cli = paging;
        }
    }
    service.warnings.extend(warnings);
    Ok(())
}

/// What the CLI aggregates for `op` by botocore's `entry`, or why the entry does not fit the
/// operation's trait and output.
fn botocore_cli_paging(
    service: &Service,
    op: &super::Operation,
    trait_: &Paginated,
    paginator: &Paginator,
    entry: &BotocorePaginator,
) -> Result<CliPaging, String> {
    let same = |botocore: &[String], smithy: Option<&str>, what: &str| match (botocore, smithy) {
        ([one], Some(smithy)) if one == smithy => Ok(()),
        _ => Err(format!(
            "its {what} is {}, the trait's is {}",
            botocore.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" and "),
            smithy.map_or("not set".to_string(), |t| format!("`{t}`"))
        )),
    };
    same(&entry.input_tokens, Some(paginator.input_token.member_name.as_str()), "`input_token`")?;
    same(&entry.output_tokens, trait_.output_token.as_deref(), "`output_token`")?;
    if entry.limit_key.as_deref() != paginator.page_size.as_ref().map(|f| f.member_name.as_str()) {
        let shown = |key: Option<&str>| key.map_or("not set".to_string(), |k| format!("`{k}`"));
        return Err(format!(
            "its `limit_key` is {}, the trait's `pageSize` is {}",
            shown(entry.limit_key.as_deref()),
            shown(paginator.page_size.as_ref().map(|f| f.member_name.as_str()))
        ));
    }
    let resolve = |path: &str, what: &str| -> Result<(Vec<String>, Ty), String> {
        let (path, ty) = follow(service, &op.output, path, what)?;
        Ok((path.wire_names().into_iter().map(str::to_owned).collect(), ty))
    };
    let mut result_keys = Vec::with_capacity(entry.result_keys.len());
    for (i, key) in entry.result_keys.iter().enumerate() {
        let (path, ty) = resolve(key, "result_key")?;
        if i == 0 && !matches!(ty.kind, TyKind::List { .. }) {
            return Err(format!(
                "its first `result_key` `{key}` is {}, not a list whose items can be counted",
                a_kind(&ty.kind)
            ));
        }
        result_keys.push(path);
    }
    let non_aggregate_keys = entry
        .non_aggregate_keys
        .iter()
        .map(|key| resolve(key, "non_aggregate_keys").map(|(path, _)| path))
        .collect::<Result<_, _>>()?;
    let more_results =
        entry.more_results.as_deref().map(|key| resolve(key, "more_results").map(|(path, _)| path)).transpose()?;
    Ok(CliPaging { result_keys, non_aggregate_keys, more_results })
}

/// The operation's trait with the members it leaves out taken from the service's.
fn merge(defaults: Option<&Paginated>, own: &Paginated) -> Paginated {
    let pick = |own: &Option<String>, default: fn(&Paginated) -> &Option<String>| {
        own.clone().or_else(|| defaults.and_then(|d| default(d).clone()))
    };
    Paginated {
        input_token: pick(&own.input_token, |d| &d.input_token),
        output_token: pick(&own.output_token, |d| &d.output_token),
        items: pick(&own.items, |d| &d.items),
        page_size: pick(&own.page_size, |d| &d.page_size),
        json_path: own.json_path.clone(),
    }
}

/// The paginator the merged trait describes, or why there is none.
fn resolve(service: &Service, input: &str, output: &str, trait_: &Paginated) -> Result<Paginator, String> {
    let input_structure = service.structure(input);
    if let Some(token) = input_structure.fields.iter().find(|f| f.idempotency_token) {
        return Err(format!(
            "its input has the idempotency token `{}`, which must not be reused or renewed from page to page",
            token.member_name
        ));
    }
    let input_name = trait_.input_token.as_deref().ok_or("neither it nor its service names an `inputToken`")?;
    let output_name = trait_.output_token.as_deref().ok_or("neither it nor its service names an `outputToken`")?;
    let input_token = top_level(input_structure, input_name, "inputToken")?;
    let token = token_kind(&input_token.ty).ok_or_else(|| {
        format!("`inputToken` `{input_name}` is {}, not a string or a map", a_kind(&input_token.ty.kind))
    })?;
    let (output_token, output_ty) = follow(service, output, output_name, "outputToken")?;
    if output_ty.kind != input_token.ty.kind {
        return Err(format!(
            "`outputToken` `{output_name}` is {}, but `inputToken` `{input_name}` is {}: a token cannot be sent back",
            a_kind(&output_ty.kind),
            a_kind(&input_token.ty.kind)
        ));
    }
    let items = match trait_.items.as_deref() {
        None => None,
        Some(items) => {
            let (path, ty) = follow(service, output, items, "items")?;
            if !matches!(ty.kind, TyKind::List { .. } | TyKind::Map { .. }) {
                return Err(format!("`items` `{items}` is {}, not a list or a map", a_kind(&ty.kind)));
            }
            Some(ItemsPath { path, ty })
        }
    };
    let page_size = match trait_.page_size.as_deref() {
        None => None,
        Some(name) => {
            let field = top_level(input_structure, name, "pageSize")?;
            if !matches!(field.ty.kind, TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long) {
                return Err(format!("`pageSize` `{name}` is {}, not an integer", a_kind(&field.ty.kind)));
            }
            Some(field)
        }
    };
    // Without botocore's paginators, the CLI aggregates the items alone, when they are a list, whose
    // items `--max-items` counts.
    let cli = items.as_ref().filter(|items| matches!(items.ty.kind, TyKind::List { .. })).map(|items| CliPaging {
        result_keys: vec![items.path.wire_names().into_iter().map(str::to_owned).collect()],
        non_aggregate_keys: Vec::new(),
        more_results: None,
    });
    Ok(Paginator { input_token, output_token, token, items, page_size, cli })
}

/// The input member `name`, which must be a top-level member.
fn top_level(structure: &Structure, name: &str, key: &str) -> Result<Field, String> {
    if name.contains('.') {
        return Err(format!("`{key}` `{name}` is a path, but it must name a member of the input itself"));
    }
    structure
        .fields
        .iter()
        .find(|f| f.member_name == name)
        .cloned()
        .ok_or_else(|| format!("`{key}` names `{name}`, which the input does not have"))
}

/// Follows the member path `path` (`a.b.c`) from the structure `from`, through structures only.
fn follow(service: &Service, from: &str, path: &str, key: &str) -> Result<(MemberPath, Ty), String> {
    let mut structure = from.to_string();
    let mut steps = Vec::new();
    let mut names = path.split('.').peekable();
    while let Some(name) = names.next() {
        let fields = match service.type_def(&structure).map(|def| &def.kind) {
            Some(TypeDefKind::Structure(s)) => &s.fields,
            _ => return Err(format!("`{key}` `{path}` goes through `{structure}`, which is not a structure")),
        };
        let field = fields
            .iter()
            .find(|f| f.member_name == name)
            .ok_or_else(|| format!("`{key}` `{path}`: `{structure}` has no member `{name}`"))?;
        steps.push(PathStep {
            wire_name: field.wire_name.clone(),
            field: field.rust_name.clone(),
            optional: field.presence == Presence::Optional,
            boxed: field.boxed,
        });
        if names.peek().is_none() {
            return Ok((MemberPath { steps }, field.ty.clone()));
        }
        match &field.ty.kind {
            TyKind::Structure(next) => structure = next.clone(),
            other => {
                return Err(format!(
                    "`{key}` `{path}`: `{name}` is {}, so the path cannot go on into it",
                    a_kind(other)
                ))
            }
        }
    }
    Err(format!("`{key}` is empty"))
}

fn token_kind(ty: &Ty) -> Option<TokenKind> {
    match ty.kind {
        TyKind::String => Some(TokenKind::String),
        TyKind::Map { .. } => Some(TokenKind::Map),
        _ => None,
    }
}

/// The Smithy name of a type's kind with its article (`an integer`), for messages.
fn a_kind(kind: &TyKind) -> String {
    let name = kind_name(kind);
    let article = if name.starts_with(['a', 'e', 'i', 'o']) { "an" } else { "a" };
    format!("{article} {name}")
}

/// The Smithy name of a type's kind, for messages.
fn kind_name(kind: &TyKind) -> &'static str {
    match kind {
        TyKind::String => "string",
        TyKind::Bool => "boolean",
        TyKind::Byte => "byte",
        TyKind::Short => "short",
        TyKind::Integer => "integer",
        TyKind::Long => "long",
        TyKind::Float => "float",
        TyKind::Double => "double",
        TyKind::BigInteger => "bigInteger",
        TyKind::BigDecimal => "bigDecimal",
        TyKind::Timestamp(_) => "timestamp",
        TyKind::Blob | TyKind::ByteStream => "blob",
        TyKind::Document => "document",
        TyKind::Unit => "unit",
        TyKind::Enum(_) => "enum",
        TyKind::IntEnum(_) => "intEnum",
        TyKind::Structure(_) => "structure",
        TyKind::Union(_) => "union",
        TyKind::List { .. } => "list",
        TyKind::Map { .. } => "map",
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{lower, CliPaging, Selection, Service, TokenKind};
    use crate::model::load_slice;

    /// A service whose one operation `ex#List` has `trait_` as its `@paginated` (and the service
    /// `service_trait`), over the members given.
    fn model(service_trait: &str, trait_: &str, input: &str, output: &str) -> crate::model::Model {
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{
                "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#List"}}],
                          "traits":{{"aws.protocols#awsJson1_1":{{}}{service_trait}}}}},
                "ex#List":{{"type":"operation","input":{{"target":"ex#In"}},"output":{{"target":"ex#Out"}},
                           "traits":{{"smithy.api#paginated":{trait_}}}}},
                "ex#In":{{"type":"structure","members":{{{input}}}}},
                "ex#Out":{{"type":"structure","members":{{{output}}}}},
                "ex#Page":{{"type":"structure","members":{{
                    "next":{{"target":"smithy.api#String"}},
                    "items":{{"target":"ex#Names"}}}}}},
                "ex#Names":{{"type":"list","member":{{"target":"smithy.api#String"}}}},
                "ex#Other":{{"type":"operation"}}}}}}"#
        );
        load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn service(service_trait: &str, trait_: &str, input: &str, output: &str) -> Service {
        let model = model(service_trait, trait_, input, output);
        lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() })
            .unwrap_or_else(|e| panic!("{e}"))
    }

    const INPUT: &str = r#""token":{"target":"smithy.api#String"},"max":{"target":"smithy.api#Integer"}"#;
    const OUTPUT: &str = r#""next":{"target":"smithy.api#String"},"page":{"target":"ex#Page","traits":{"smithy.api#required":{}}},"names":{"target":"ex#Names"}"#;

    /// The one warning of `service`, which must have no paginator.
    fn only_warning(service: &Service) -> String {
        assert!(service.operations[0].paginator.is_none(), "a paginator despite the warning");
        assert_eq!(service.warnings.len(), 1, "{:#?}", service.warnings);
        let warning = &service.warnings[0];
        assert_eq!(warning.shape, "ex#List");
        assert!(warning.location.ends_with(r#".traits."smithy.api#paginated""#), "{}", warning.location);
        warning.message.clone()
    }

    #[test]
    fn the_operations_trait_is_merged_over_the_services_defaults() {
        let service = service(
            r#","smithy.api#paginated":{"inputToken":"token","outputToken":"next","pageSize":"max"}"#,
            r#"{"items":"names"}"#,
            INPUT,
            OUTPUT,
        );
        assert!(service.warnings.is_empty(), "{:#?}", service.warnings);
        let paginator = service.operations[0].paginator.as_ref().expect("a paginator");
        assert_eq!(paginator.input_token.member_name, "token");
        assert_eq!(paginator.output_token.wire_names(), ["next"]);
        assert_eq!(paginator.page_size.as_ref().map(|f| f.member_name.as_str()), Some("max"));
        assert_eq!(paginator.items.as_ref().map(|i| i.path.wire_names()), Some(vec!["names"]));
        assert_eq!(paginator.token, TokenKind::String);
    }

    #[test]
    fn nested_paths_are_resolved_step_by_step() {
        let service =
            service("", r#"{"inputToken":"token","outputToken":"page.next","items":"page.items"}"#, INPUT, OUTPUT);
        let paginator = service.operations[0].paginator.as_ref().expect("a paginator");
        let steps = &paginator.output_token.steps;
        assert_eq!(paginator.output_token.wire_names(), ["page", "next"]);
        assert_eq!((steps[0].optional, steps[1].optional), (false, true), "`page` is required, `next` is not");
        assert_eq!(paginator.items.as_ref().map(|i| i.path.wire_names()), Some(vec!["page", "items"]));
        assert!(paginator.page_size.is_none());
    }

    #[test]
    fn paths_that_cannot_be_followed_are_warnings_naming_the_operation() {
        let cases = [
            (
                r#"{"inputToken":"nope","outputToken":"next"}"#,
                "`inputToken` names `nope`, which the input does not have",
            ),
            (
                r#"{"inputToken":"token","outputToken":"page.nope"}"#,
                "`outputToken` `page.nope`: `Page` has no member `nope`",
            ),
            (
                r#"{"inputToken":"token","outputToken":"next.deeper"}"#,
                "`next` is a string, so the path cannot go on into it",
            ),
            (r#"{"inputToken":"max","outputToken":"next"}"#, "`inputToken` `max` is an integer, not a string or a map"),
            (
                r#"{"inputToken":"token","outputToken":"names"}"#,
                "`outputToken` `names` is a list, but `inputToken` `token` is a string",
            ),
            (
                r#"{"inputToken":"token","outputToken":"next","items":"next"}"#,
                "`items` `next` is a string, not a list or a map",
            ),
            (
                r#"{"inputToken":"token","outputToken":"next","pageSize":"token"}"#,
                "`pageSize` `token` is a string, not an integer",
            ),
            (r#"{"inputToken":"token"}"#, "neither it nor its service names an `outputToken`"),
            (r#"{"inputToken":"page.next","outputToken":"next"}"#, "must name a member of the input itself"),
        ];
        for (trait_, expected) in cases {
            let message = only_warning(&service("", trait_, INPUT, OUTPUT));
            assert!(message.starts_with("operation `ex#List` gets no paginator: "), "{message}");
            assert!(message.contains(expected), "{trait_}: {message}");
        }
    }

    #[test]
    fn an_input_with_an_idempotency_token_gets_no_paginator() {
        let input = format!(
            r#"{INPUT},"request":{{"target":"smithy.api#String","traits":{{"smithy.api#idempotencyToken":{{}}}}}}"#
        );
        let message = only_warning(&service("", r#"{"inputToken":"token","outputToken":"next"}"#, &input, OUTPUT));
        assert!(message.contains("idempotency token `request`"), "{message}");
    }

    /// `service`'s crate with botocore's paginators `file` (a `pagination` object's members) applied.
    fn with_botocore(service_trait: &str, trait_: &str, file: &str) -> Result<Service, crate::model::LoadError> {
        let output = format!(
            r#"{OUTPUT},"count":{{"target":"smithy.api#Integer"}},"note":{{"target":"smithy.api#String"}},"more":{{"target":"smithy.api#Boolean"}}"#
        );
        let model = model(service_trait, trait_, INPUT, &output);
        let mut lowered = lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() })
            .unwrap_or_else(|e| panic!("{e}"));
        let botocore = crate::ir::botocore_paginators::parse(
            "paginators-1.json",
            format!(r#"{{"pagination":{{{file}}}}}"#).as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        crate::ir::apply_botocore_paginators(&model, &mut lowered, &botocore).map(|()| lowered)
    }

    const DEFAULTS: &str = r#","smithy.api#paginated":{"inputToken":"token","outputToken":"next","pageSize":"max"}"#;

    fn cli(service: &Service) -> Option<CliPaging> {
        service.operations[0].paginator.as_ref().expect("a paginator").cli.clone()
    }

    fn paths(paths: &[&str]) -> Vec<Vec<String>> {
        paths.iter().map(|p| p.split('.').map(str::to_owned).collect()).collect()
    }

    #[test]
    fn without_botocore_the_cli_aggregates_the_items_alone() {
        let service = service(DEFAULTS, r#"{"items":"page.items"}"#, INPUT, OUTPUT);
        let expected =
            CliPaging { result_keys: paths(&["page.items"]), non_aggregate_keys: vec![], more_results: None };
        assert_eq!(cli(&service), Some(expected));
        let service = service_without_items();
        assert_eq!(cli(&service), None, "no items: one call");
    }

    fn service_without_items() -> Service {
        service(DEFAULTS, "{}", INPUT, OUTPUT)
    }

    #[test]
    fn botocores_result_keys_non_aggregate_keys_and_more_results_are_resolved_through_the_output() {
        let entry = r#""List":{"input_token":"token","output_token":"next","limit_key":"max",
            "result_key":["page.items","count","note"],"non_aggregate_keys":["names","page.next"],"more_results":"more"}"#;
        let service = with_botocore(DEFAULTS, r#"{"items":"names"}"#, entry).unwrap_or_else(|e| panic!("{e}"));
        assert!(service.warnings.is_empty(), "{:#?}", service.warnings);
        let expected = CliPaging {
            result_keys: paths(&["page.items", "count", "note"]),
            non_aggregate_keys: paths(&["names", "page.next"]),
            more_results: Some(vec!["more".into()]),
        };
        assert_eq!(cli(&service), Some(expected));
        // A trait without `items` pages in the CLI by botocore's result keys.
        let entry = r#""List":{"input_token":"token","output_token":"next","limit_key":"max","result_key":"names"}"#;
        let service = with_botocore(DEFAULTS, "{}", entry).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cli(&service).map(|c| c.result_keys), Some(paths(&["names"])));
    }

    #[test]
    fn an_operation_botocore_does_not_paginate_makes_one_call() {
        let entry = r#""Other":{"input_token":"a","output_token":"b","result_key":"c"},"List":{"input_token":"token","output_token":"next","limit_key":"max","result_key":"names"}"#;
        let service = with_botocore(DEFAULTS, r#"{"items":"names"}"#, &entry.replace(r#""List":"#, r#""Unrelated":"#))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(service.warnings.is_empty(), "{:#?}", service.warnings);
        assert_eq!(cli(&service), None);
    }

    #[test]
    fn an_entry_that_does_not_fit_the_model_is_a_warning_and_the_trait_alone_decides() {
        let cases = [
            (
                r#""input_token":"start","output_token":"next","limit_key":"max","result_key":"names""#,
                "its `input_token` is `start`, the trait's is `token`",
            ),
            (
                r#""input_token":["token","other"],"output_token":"next","limit_key":"max","result_key":"names""#,
                "its `input_token` is `token` and `other`",
            ),
            (
                r#""input_token":"token","output_token":"page.next","limit_key":"max","result_key":"names""#,
                "its `output_token` is `page.next`, the trait's is `next`",
            ),
            (
                r#""input_token":"token","output_token":"next","result_key":"names""#,
                "its `limit_key` is not set, the trait's `pageSize` is `max`",
            ),
            (
                r#""input_token":"token","output_token":"next","limit_key":"max","result_key":["names","nope"]"#,
                "`result_key` `nope`: `Out` has no member `nope`",
            ),
            (
                r#""input_token":"token","output_token":"next","limit_key":"max","result_key":"count""#,
                "its first `result_key` `count` is an integer, not a list",
            ),
            (
                r#""input_token":"token","output_token":"next","limit_key":"max","result_key":"names","non_aggregate_keys":["next.x"]"#,
                "`next` is a string, so the path cannot go on into it",
            ),
            (
                r#""input_token":"token","output_token":"next","limit_key":"max","result_key":"names","more_results":"gone""#,
                "`more_results` `gone`",
            ),
        ];
        for (entry, expected) in cases {
            let service = with_botocore(DEFAULTS, r#"{"items":"page.items"}"#, &format!(r#""List":{{{entry}}}"#))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(service.warnings.len(), 1, "{entry}: {:#?}", service.warnings);
            let warning = &service.warnings[0];
            assert_eq!((warning.file.as_str(), warning.location.as_str()), ("paginators-1.json", "pagination.List"));
            assert!(warning.message.contains("does not fit the model"), "{}", warning.message);
            assert!(warning.message.contains(expected), "{entry}: {}", warning.message);
            assert_eq!(cli(&service).map(|c| c.result_keys), Some(paths(&["page.items"])), "the trait's items");
        }
    }

    #[test]
    fn an_operation_botocore_paginates_but_the_model_does_not_is_a_warning() {
        let text = r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#List"}],"traits":{"aws.protocols#awsJson1_1":{}}},
            "ex#List":{"type":"operation","input":{"target":"ex#In"},"output":{"target":"ex#Out"}},
            "ex#In":{"type":"structure","members":{"token":{"target":"smithy.api#String"}}},
            "ex#Out":{"type":"structure","members":{"next":{"target":"smithy.api#String"}}}}}"#;
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let mut service =
            lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() }).expect("lowers");
        let file = r#"{"pagination":{"List":{"input_token":"token","output_token":"next","result_key":"items"}}}"#;
        let botocore = crate::ir::botocore_paginators::parse("p.json", file.as_bytes()).expect("parses");
        crate::ir::apply_botocore_paginators(&model, &mut service, &botocore).expect("applies");
        assert_eq!(service.warnings.len(), 1, "{:#?}", service.warnings);
        let message = service.warnings[0].to_string();
        assert!(
            message.starts_with(
                "p.json: at pagination.List: botocore paginates `List`, but the model does not mark it `@paginated`"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_file_that_names_none_of_the_models_operations_is_an_error() {
        let error = with_botocore(
            DEFAULTS,
            r#"{"items":"names"}"#,
            r#""Scan":{"input_token":"a","output_token":"b","result_key":"c"}"#,
        )
        .expect_err("another service's file");
        assert_eq!((error.file.as_str(), error.location.as_str()), ("paginators-1.json", "pagination"));
        assert!(error.message.contains("names none of the operations of the model test.json"), "{error}");
    }

    #[test]
    fn map_tokens_are_tokens_too() {
        let input = r#""start":{"target":"ex#Key"}"#;
        let output = r#""last":{"target":"ex#Key"}"#;
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{
                "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#List"}}],"traits":{{"aws.protocols#awsJson1_0":{{}}}}}},
                "ex#List":{{"type":"operation","input":{{"target":"ex#In"}},"output":{{"target":"ex#Out"}},
                           "traits":{{"smithy.api#paginated":{{"inputToken":"start","outputToken":"last"}}}}}},
                "ex#In":{{"type":"structure","members":{{{input}}}}},
                "ex#Out":{{"type":"structure","members":{{{output}}}}},
                "ex#Key":{{"type":"map","key":{{"target":"smithy.api#String"}},"value":{{"target":"smithy.api#String"}}}}}}}}"#
        );
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let service = lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() }).expect("lowers");
        assert_eq!(service.operations[0].paginator.as_ref().map(|p| p.token), Some(TokenKind::Map));
    }
}
