//! The lowering driver: finds the service, picks and checks the operations, walks the closure of
//! their shapes, names it, and assembles the [`Service`] from the phases in the sibling modules.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{HostPrefixSegment, Member, Model, Protocol, Shape, ShapeId, ShapeKind};
use crate::naming;

use super::http_bindings::{bind_fields, Role};

use super::{
    ErrorInfo, Features, HostPrefix, HostPrefixPart, IrError, Operation, PatternConst, RequestCompression, Selection,
    Service, SkippedOperation, Structure, TypeDef, TypeDefKind, Warning,
};

/// An input or output structure made up for an operation whose input or output is Unit: its name,
/// and whether it is an input.
type SyntheticIo = (String, bool);

pub(super) struct Lowerer<'m> {
    pub(super) model: &'m Model,
    /// Rust names for every named shape in the closure.
    pub(super) names: BTreeMap<ShapeId, String>,
    /// Enforced patterns by their source in the model.
    pub(super) patterns: BTreeMap<String, PatternConst>,
    /// Patterns that cannot be enforced, by their source, with the reason.
    pub(super) unenforced: BTreeMap<String, String>,
    /// Where each enforced pattern is used: the JSON path of its trait, and the shape that owns it.
    pub(super) pattern_uses: BTreeMap<String, BTreeMap<String, ShapeId>>,
    /// Warnings by location, so a shape reached from many members is reported once.
    pub(super) warnings: BTreeMap<String, Warning>,
    pub(super) features: Features,
    /// Whether the service speaks restJson1, whose HTTP bindings and `@jsonName` lowering reads.
    pub(super) rest_json: bool,
}

impl<'m> Lowerer<'m> {
    pub(super) fn new(model: &'m Model) -> Self {
        Lowerer {
            model,
            names: BTreeMap::new(),
            patterns: BTreeMap::new(),
            unenforced: BTreeMap::new(),
            pattern_uses: BTreeMap::new(),
            warnings: BTreeMap::new(),
            features: Features::default(),
            rest_json: false,
        }
    }

    pub(super) fn error(&self, location: impl Into<String>, message: impl Into<String>) -> IrError {
        IrError { file: self.model.file.clone(), location: location.into(), message: message.into() }
    }

    pub(super) fn shape(&self, id: &ShapeId) -> &'m Shape {
        // The loader checked every reference, so a missing shape here is a generator bug.
        &self.model.shapes[id]
    }

    pub(super) fn shape_path(id: &ShapeId) -> String {
        format!("shapes.{:?}", id.as_str())
    }

    pub(super) fn find_service(&self, wanted: Option<&str>) -> Result<&'m Shape, IrError> {
        let services: Vec<&Shape> =
            self.model.shapes.values().filter(|s| matches!(s.kind, ShapeKind::Service { .. })).collect();
        match wanted {
            Some(wanted) => {
                services.iter().find(|s| s.id.as_str() == wanted || s.id.name() == wanted).copied().ok_or_else(|| {
                    let known: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
                    self.error("shapes", format!("no service `{wanted}` in the model (it has: {})", known.join(", ")))
                })
            }
            None => match services.as_slice() {
                [one] => Ok(one),
                [] => Err(self.error("shapes", "the model defines no service shape")),
                many => {
                    let known: Vec<&str> = many.iter().map(|s| s.id.as_str()).collect();
                    Err(self.error(
                        "shapes",
                        format!("the model defines several services; choose one of: {}", known.join(", ")),
                    ))
                }
            },
        }
    }

    /// The first streaming shape, in ID order, that an operation's input, output or errors reach and
    /// the generator cannot send or read: an event stream (a streaming union) anywhere, and a streaming
    /// blob anywhere but an `@httpPayload` member of the input or output under restJson1, which is
    /// a `ByteStream`.
    pub(super) fn streaming_shape(&self, op_id: &ShapeId, common_errors: &[ShapeId]) -> Option<ShapeId> {
        let ShapeKind::Operation { input, output, errors } = &self.shape(op_id).kind else { return None };
        let mut pending: Vec<&ShapeId> = vec![input, output];
        pending.extend(errors.iter().chain(common_errors));
        let mut seen = BTreeSet::new();
        let mut streaming = BTreeSet::new();
        while let Some(id) = pending.pop() {
            if !seen.insert(id) {
                continue;
            }
            let shape = self.shape(id);
            if shape.traits.streaming {
                streaming.insert(id);
            }
            let top_level = id == input || id == output;
            match &shape.kind {
                ShapeKind::Structure { members } | ShapeKind::Union { members } => pending
                    .extend(members.iter().filter(|m| !(top_level && self.is_streaming_payload(m))).map(|m| &m.target)),
                ShapeKind::List { member } => pending.push(&member.target),
                ShapeKind::Map { key, value } => pending.extend([&key.target, &value.target]),
                _ => {}
            }
        }
        streaming.first().map(|id| (*id).clone())
    }

    /// Whether `member` of an operation's input or output is a streaming blob the crate sends or
    /// reads as a `ByteStream`: restJson1's `@httpPayload` bound to a `@streaming` blob.
    fn is_streaming_payload(&self, member: &Member) -> bool {
        let target = self.shape(&member.target);
        self.rest_json
            && member.traits.http_payload
            && matches!(target.kind, ShapeKind::Blob)
            && target.traits.streaming
    }

    pub(super) fn streaming_error(&self, op_id: &ShapeId, shape_id: &ShapeId) -> IrError {
        let kind = self.shape(shape_id).kind.type_name();
        let what = if kind == "union" {
            "event streams are not supported"
        } else if self.rest_json {
            "a streaming blob is supported only as the @httpPayload of an operation's input or output"
        } else {
            "streaming blobs are supported only as restJson1's @httpPayload"
        };
        self.error(
            format!("{}.traits.\"smithy.api#streaming\"", Self::shape_path(shape_id)),
            format!(
                "unsupported: operation `{}` uses `{shape_id}`, a streaming {kind} (smithy.api#streaming); {what}, so leave the operation out of the selection",
                op_id.name()
            ),
        )
    }

    pub(super) fn service_operations(&self, service: &Shape) -> Vec<ShapeId> {
        let ShapeKind::Service { operations, resources, .. } = &service.kind else { return Vec::new() };
        let mut all: BTreeSet<ShapeId> = operations.iter().cloned().collect();
        let mut pending: Vec<ShapeId> = resources.clone();
        let mut seen = BTreeSet::new();
        while let Some(resource) = pending.pop() {
            if !seen.insert(resource.clone()) {
                continue;
            }
            if let ShapeKind::Resource { operations, resources } = &self.shape(&resource).kind {
                all.extend(operations.iter().cloned());
                pending.extend(resources.iter().cloned());
            }
        }
        all.into_iter().collect()
    }

    /// Lowers the selected operations of the chosen service, phase by phase.
    pub(super) fn lower(mut self, selection: &Selection) -> Result<Service, IrError> {
        let service = self.find_service(selection.service.as_deref())?;
        let ShapeKind::Service { version, errors: common_errors, .. } = &service.kind else { unreachable!() };
        let protocol = self.protocol(service)?;
        self.rest_json = protocol == Protocol::RestJson1;
        let (chosen, skipped) = self.choose_operations(service, selection, common_errors)?;
        let (closure, op_errors) = self.closure(&chosen, common_errors);
        // Names for named types: structures, unions, enums. Inputs/outputs of Unit get synthesised names.
        let named: Vec<&ShapeId> = closure
            .iter()
            .filter(|id| {
                matches!(
                    self.shape(id).kind,
                    ShapeKind::Structure { .. }
                        | ShapeKind::Union { .. }
                        | ShapeKind::Enum { .. }
                        | ShapeKind::IntEnum { .. }
                )
            })
            .collect();
        self.assign_type_names(&named, service.id.namespace());
        let (operations, synthetic) = self.operations(&chosen, &op_errors)?;
        self.check_required_cycles(&named)?;
        let types = self.type_defs(service, &chosen, &named, synthetic)?;

        let mut patterns: Vec<PatternConst> = self.patterns.values().cloned().collect();
        patterns.sort_by(|a, b| a.name.cmp(&b.name));
        let warnings = std::mem::take(&mut self.warnings).into_values().collect();

        let mut lowered = Service {
            crate_name: selection.crate_name.clone(),
            shape_id: service.id.to_string(),
            target_prefix: service.id.name().to_string(),
            sdk_id: service.traits.sdk_id.clone().unwrap_or_else(|| service.id.name().to_string()),
            signing_name: service
                .traits
                .sigv4_name
                .clone()
                .or_else(|| service.traits.endpoint_prefix.clone())
                .unwrap_or_else(|| service.id.name().to_ascii_lowercase()),
            endpoint_prefix: service
                .traits
                .endpoint_prefix
                .clone()
                .or_else(|| service.traits.sigv4_name.clone())
                .unwrap_or_else(|| service.id.name().to_ascii_lowercase()),
            version: version.clone(),
            title: service.traits.title.clone(),
            protocol,
            query_compatible: service.traits.query_compatible,
            docs: service.traits.documentation.clone(),
            operations,
            types,
            patterns,
            features: self.features,
            skipped,
            warnings,
            endpoint: super::endpoints::endpoint_resolution(service),
            protocol_tests: Vec::new(),
            waiters: Vec::new(),
        };
        lowered.protocol_tests = super::protocol_tests::protocol_tests(self.model, &lowered);
        super::endpoints::bind(self.model, service, &mut lowered);
        super::endpoint_tests::lower(self.model, service, &mut lowered);
        Ok(lowered)
    }

    /// The service's protocol: the first supported one it declares.
    fn protocol(&self, service: &Shape) -> Result<Protocol, IrError> {
        let service_path = Self::shape_path(&service.id);
        match service.traits.protocols.as_slice() {
            [protocol, ..] => Ok(*protocol),
            [] => {
                let what = match service.traits.unsupported_protocols.first() {
                    Some(other) => {
                        format!("unsupported protocol `{other}`: only awsJson1_0, awsJson1_1 and restJson1 are supported")
                    }
                    None => "the service declares no protocol trait (expected aws.protocols#awsJson1_0, awsJson1_1 or restJson1)"
                        .to_string(),
                };
                let at = match service.traits.unsupported_protocols.first() {
                    Some(other) => format!("{service_path}.traits.{other:?}"),
                    None => format!("{service_path}.traits"),
                };
                Err(self.error(at, format!("service `{}`: {what}", service.id)))
            }
        }
    }

    /// The operations to generate, in ID order, and those of the whole service left out because they
    /// use streaming shapes the crate cannot carry (see [`Lowerer::streaming_shape`]).
    fn choose_operations(
        &self,
        service: &Shape,
        selection: &Selection,
        common_errors: &[ShapeId],
    ) -> Result<(Vec<ShapeId>, Vec<SkippedOperation>), IrError> {
        let service_path = Self::shape_path(&service.id);
        let available = self.service_operations(service);
        let chosen: Vec<ShapeId> = if selection.operations.is_empty() {
            available.clone()
        } else {
            let mut chosen = BTreeSet::new();
            for wanted in &selection.operations {
                let found =
                    available.iter().find(|id| id.as_str() == wanted || id.name() == wanted).ok_or_else(|| {
                        self.error(
                            format!("{service_path}.operations"),
                            format!("service `{}` has no operation `{wanted}`", service.id),
                        )
                    })?;
                chosen.insert(found.clone());
            }
            chosen.into_iter().collect()
        };
        // Event streams, and streaming blobs outside restJson1's payloads, need a transport this
        // generator does not have. Asked for by name, such an operation is an error; when the whole service is wanted it is
        // left out and reported, so the rest of the service is still usable.
        let mut skipped = Vec::new();
        let mut kept = Vec::with_capacity(chosen.len());
        for op_id in chosen {
            match self.streaming_shape(&op_id, common_errors) {
                None => kept.push(op_id),
                Some(shape) if selection.operations.is_empty() => skipped.push((op_id, shape)),
                Some(shape) => return Err(self.streaming_error(&op_id, &shape)),
            }
        }
        if kept.is_empty() {
            if let Some((op_id, shape)) = skipped.first() {
                return Err(self.streaming_error(op_id, shape));
            }
        }
        let skipped = skipped
            .into_iter()
            .map(|(op, shape)| SkippedOperation { operation: op.name().to_string(), shape: shape.to_string() })
            .collect();
        Ok((kept, skipped))
    }

    /// The closure: every named data shape reachable from the chosen operations, and each operation's
    /// errors (its own and the service's).
    fn closure(
        &self,
        chosen: &[ShapeId],
        common_errors: &[ShapeId],
    ) -> (BTreeSet<ShapeId>, BTreeMap<ShapeId, Vec<ShapeId>>) {
        let mut closure = BTreeSet::new();
        let mut pending = Vec::new();
        let mut op_errors: BTreeMap<ShapeId, Vec<ShapeId>> = BTreeMap::new();
        for op_id in chosen {
            let ShapeKind::Operation { input, output, errors } = &self.shape(op_id).kind else { unreachable!() };
            let mut errs: BTreeSet<ShapeId> = errors.iter().cloned().collect();
            errs.extend(common_errors.iter().cloned());
            pending.push(input.clone());
            pending.push(output.clone());
            pending.extend(errs.iter().cloned());
            op_errors.insert(op_id.clone(), errs.into_iter().collect());
        }
        while let Some(id) = pending.pop() {
            if id.as_str() == "smithy.api#Unit" || !closure.insert(id.clone()) {
                continue;
            }
            let shape = self.shape(&id);
            match &shape.kind {
                ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                    pending.extend(members.iter().map(|m| m.target.clone()))
                }
                ShapeKind::List { member } => pending.push(member.target.clone()),
                ShapeKind::Map { key, value } => {
                    pending.push(key.target.clone());
                    pending.push(value.target.clone());
                }
                _ => {}
            }
        }
        (closure, op_errors)
    }

    /// The operations, sorted by name, with the input and output structures synthesised for those
    /// whose input or output is Unit (by name, and whether it is an input).
    fn operations(
        &mut self,
        chosen: &[ShapeId],
        op_errors: &BTreeMap<ShapeId, Vec<ShapeId>>,
    ) -> Result<(Vec<Operation>, Vec<SyntheticIo>), IrError> {
        let mut synthetic = Vec::new();
        let mut taken: BTreeSet<String> = self.names.values().cloned().collect();
        let mut operations = Vec::new();
        for op_id in chosen {
            let op = self.shape(op_id);
            let ShapeKind::Operation { input, output, .. } = &op.kind else { unreachable!() };
            let op_name = naming::pascal(op_id.name());
            let request_compression = self.request_compression(op_id, op);
            let content_md5 = op.traits.http_checksum_required;
            self.features.content_md5 |= content_md5;
            let http = if self.rest_json {
                let input_shape = (input.as_str() != "smithy.api#Unit").then(|| self.shape(input));
                Some(super::http_bindings::lower_operation(self.model, op, input_shape)?)
            } else {
                None
            };
            let mut io_name = |id: &ShapeId, suffix: &str, synthetic: &mut Vec<SyntheticIo>| -> String {
                if id.as_str() == "smithy.api#Unit" {
                    let mut name = format!("{op_name}{suffix}");
                    while taken.contains(&name) {
                        name.push('_');
                    }
                    taken.insert(name.clone());
                    synthetic.push((name.clone(), suffix == "Input"));
                    name
                } else {
                    self.names[id].clone()
                }
            };
            let host_prefix = self.host_prefix(op, input)?;
            let input_name = io_name(input, "Input", &mut synthetic);
            let output_name = io_name(output, "Output", &mut synthetic);
            let mut errors: Vec<String> = op_errors[op_id].iter().map(|e| self.names[e].clone()).collect();
            errors.sort();
            let mut error_name = format!("{op_name}Error");
            while taken.contains(&error_name) || naming::is_reserved_error_name(&error_name) {
                error_name.push('_');
            }
            taken.insert(error_name.clone());
            operations.push(Operation {
                name: op_id.name().to_string(),
                shape_id: op_id.to_string(),
                fn_name: naming::snake(op_id.name()),
                error_name,
                input: input_name,
                output: output_name,
                errors,
                docs: op.traits.documentation.clone(),
                summary: None,
                deprecated: op.traits.deprecated.clone(),
                host_prefix,
                request_compression,
                content_md5,
                endpoint_params: Vec::new(),
                http,
                paginator: None,
            });
        }
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((operations, synthetic))
    }

    /// The type definitions of the named shapes and the synthesised inputs and outputs, sorted by name,
    /// with the patterns no check uses or the engine refuses dropped.
    fn type_defs(
        &mut self,
        service: &Shape,
        chosen: &[ShapeId],
        named: &[&ShapeId],
        synthetic: Vec<SyntheticIo>,
    ) -> Result<Vec<TypeDef>, IrError> {
        let io = |pick: fn(&ShapeId, &ShapeId) -> ShapeId| -> BTreeSet<ShapeId> {
            chosen
                .iter()
                .filter_map(|op| match &self.shape(op).kind {
                    ShapeKind::Operation { input, output, .. } => Some(pick(input, output)),
                    _ => None,
                })
                .collect()
        };
        let inputs = io(|input, _| input.clone());
        let outputs = io(|_, output| output.clone());
        let boxed_edges = self.recursive_edges(named);

        let mut types = Vec::new();
        for id in named {
            let shape = self.shape(id);
            let name = self.names[*id].clone();
            let kind = match &shape.kind {
                ShapeKind::Structure { members } => {
                    let mut fields = self.fields(id, members, &boxed_edges, false, inputs.contains(*id))?;
                    let role = if inputs.contains(*id) {
                        Role::Input
                    } else if outputs.contains(*id) {
                        Role::Output
                    } else if shape.traits.error.is_some() {
                        Role::Error
                    } else {
                        Role::Nested
                    };
                    bind_fields(self.model, shape, members, &mut fields, role, self.rest_json)?;
                    let error = shape.traits.error.map(|fault| ErrorInfo {
                        code: id.name().to_string(),
                        fault,
                        http_status: shape.traits.http_error,
                        retryable: shape.traits.retryable,
                        query_code: shape.traits.query_error_code.clone().filter(|_| service.traits.query_compatible),
                    });
                    TypeDefKind::Structure(Structure {
                        fields,
                        error,
                        is_input: inputs.contains(*id),
                        is_output: outputs.contains(*id),
                        sensitive: shape.traits.sensitive,
                    })
                }
                ShapeKind::Union { members } => {
                    if members.is_empty() {
                        return Err(self.error(Self::shape_path(id), format!("union `{id}` has no members")));
                    }
                    let mut fields = self.fields(id, members, &boxed_edges, true, false)?;
                    bind_fields(self.model, shape, members, &mut fields, Role::Nested, self.rest_json)?;
                    TypeDefKind::Union(fields)
                }
                ShapeKind::Enum { members } => TypeDefKind::Enum(self.enum_variants(id, members)?),
                ShapeKind::IntEnum { members } => TypeDefKind::IntEnum(self.int_enum_variants(id, members)?),
                _ => unreachable!("only named kinds are in `named`"),
            };
            types.push(TypeDef {
                name,
                shape_id: id.to_string(),
                docs: shape.traits.documentation.clone(),
                deprecated: shape.traits.deprecated.clone(),
                kind,
            });
        }
        for (name, is_input) in synthetic {
            types.push(TypeDef {
                name,
                shape_id: "smithy.api#Unit".to_string(),
                docs: None,
                deprecated: None,
                kind: TypeDefKind::Structure(Structure {
                    fields: Vec::new(),
                    error: None,
                    is_input,
                    is_output: !is_input,
                    sensitive: false,
                }),
            });
        }
        types.sort_by(|a, b| a.name.cmp(&b.name));
        self.drop_unchecked_patterns(&mut types);
        self.drop_refused_patterns(&mut types);
        Ok(types)
    }

    /// The encoding an operation's requests are compressed with: the first of the model's encodings
    /// the crates support. When it lists none of them, requests go uncompressed (the service accepts
    /// them either way) and a warning says so.
    pub(super) fn request_compression(&mut self, op_id: &ShapeId, op: &Shape) -> Option<RequestCompression> {
        let encodings = op.traits.request_compression.as_ref()?;
        let chosen = encodings.iter().find_map(|encoding| match encoding.as_str() {
            "gzip" => Some(RequestCompression::Gzip),
            _ => None,
        });
        match chosen {
            Some(_) => self.features.request_compression = true,
            None => {
                let location = format!("{}.\"smithy.api#requestCompression\".encodings", op.traits.json_path);
                self.warnings.entry(location.clone()).or_insert(Warning {
                    file: self.model.file.clone(),
                    shape: op_id.to_string(),
                    message: format!(
                        "operation `{op_id}` asks for request compression with {}, none of which the generated crate supports (only gzip); its requests are sent uncompressed",
                        encodings.join(", ")
                    ),
                    location,
                });
            }
        }
        chosen
    }

    /// The operation's host prefix, each label tied to the input member it names, which must be a
    /// required `@hostLabel` string.
    pub(super) fn host_prefix(&self, op: &Shape, input: &ShapeId) -> Result<Option<HostPrefix>, IrError> {
        let Some(prefix) = &op.traits.host_prefix else { return Ok(None) };
        let at = format!("{}.\"smithy.api#endpoint\".hostPrefix", op.traits.json_path);
        let members: &[Member] = match &self.shape(input).kind {
            ShapeKind::Structure { members } => members,
            _ => &[],
        };
        let member_names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        let field_names = naming::field_names(&member_names);
        let mut parts = Vec::with_capacity(prefix.segments.len());
        for segment in &prefix.segments {
            match segment {
                HostPrefixSegment::Literal(text) => parts.push(HostPrefixPart::Literal(text.clone())),
                HostPrefixSegment::Label(label) => {
                    let template = &prefix.template;
                    let Some(index) = members.iter().position(|m| &m.name == label) else {
                        return Err(self.error(
                            at,
                            format!("`{{{label}}}` in `{template}` names no member of the input `{input}`"),
                        ));
                    };
                    let member = &members[index];
                    let is_string = matches!(self.shape(&member.target).kind, ShapeKind::String);
                    if !member.traits.host_label || !member.traits.required || !is_string {
                        return Err(self.error(
                            at,
                            format!(
                                "`{{{label}}}` in `{template}` needs `{input}` member `{label}` to be a required string with @hostLabel"
                            ),
                        ));
                    }
                    parts.push(HostPrefixPart::Label { member: label.clone(), field: field_names[index].clone() });
                }
            }
        }
        Ok(Some(HostPrefix { template: prefix.template.clone(), parts }))
    }

    /// Gives every named shape a distinct Rust type name. Shapes of the service's own namespace keep
    /// their plain name; a clash from another namespace is prefixed with that namespace's last part.
    pub(super) fn assign_type_names(&mut self, named: &[&ShapeId], home: &str) {
        let mut ordered: Vec<&ShapeId> = named.to_vec();
        // Home namespace first so it wins clashes, then by ID for a stable order.
        ordered.sort_by_key(|id| (id.namespace() != home, id.as_str().to_string()));
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for id in ordered {
            let mut name = naming::pascal(id.name());
            if taken.contains(&name) || naming::is_reserved_type_name(&name) {
                let prefix = naming::pascal(id.namespace().rsplit('.').next().unwrap_or("Other"));
                name = format!("{prefix}{name}");
            }
            let base = name.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            taken.insert(name.clone());
            self.names.insert(id.clone(), name);
        }
    }
}
