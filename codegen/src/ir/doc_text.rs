//! The model's HTML documentation converted to Markdown, once, for every emitter.

use super::{Service, Structure, TypeDefKind};

/// One documentation string to convert, and where its one-line summary goes (if anything shows one).
type DocSlot<'s> = (&'s mut Option<String>, Option<&'s mut Option<String>>);

/// Converts every documentation string from the model's HTML to Markdown, once for all emitters, and
/// fills in the summaries. It is the costliest part of lowering and each string is independent, so the
/// work is split over two threads (the machines this runs on have at least two cores more often than not).
pub(super) fn convert_docs(service: &mut Service) {
    let mut slots: Vec<DocSlot<'_>> = vec![(&mut service.docs, None)];
    for op in &mut service.operations {
        slots.push((&mut op.docs, Some(&mut op.summary)));
    }
    for def in &mut service.types {
        slots.push((&mut def.docs, None));
        match &mut def.kind {
            TypeDefKind::Structure(Structure { fields, .. }) | TypeDefKind::Union(fields) => {
                slots.extend(fields.iter_mut().map(|f| (&mut f.docs, Some(&mut f.summary))));
            }
            TypeDefKind::Enum(variants) => slots.extend(variants.iter_mut().map(|v| (&mut v.docs, None))),
            TypeDefKind::IntEnum(variants) => slots.extend(variants.iter_mut().map(|v| (&mut v.docs, None))),
        }
    }
    let convert = |slots: &mut [DocSlot<'_>]| {
        for (docs, summary) in slots {
            **docs = markdown(docs.as_deref());
            if let (Some(summary), Some(text)) = (summary, docs.as_deref()) {
                **summary = Some(crate::docs::first_sentence(text)).filter(|s| !s.is_empty());
            }
        }
    };
    let half = slots.len() / 2;
    let (first, second) = slots.split_at_mut(half);
    std::thread::scope(|scope| {
        scope.spawn(|| convert(first));
        convert(second);
    });
}

/// Model documentation (HTML) as rustdoc Markdown, converted once here for every emitter; `None` when
/// there is none or it has no text.
fn markdown(html: Option<&str>) -> Option<String> {
    html.map(crate::docs::html_to_markdown).filter(|text| !text.trim().is_empty())
}
