//! Schema conformance of Graph-shaped JSON against (a subset of) Microsoft Graph's CSDL.
//!
//! Owns: parsing `EntityType` / `ComplexType` / `EnumType` elements with quick-xml,
//! resolving `BaseType` inheritance, and checking a `serde_json::Value` against a type:
//! every property name must exist on the (possibly `@odata.type`-derived) type, nested
//! complex values are checked recursively, enum values must be members (case-insensitive),
//! and primitive values must have the JSON kind their `Edm` type implies.
//! Reusable for the demo tenant files and for live simulator responses. Never treats
//! `OpenType` as licence for unknown names: Graph's open types (user, servicePrincipal…)
//! carry no dynamic properties in the responses we model, so an unknown name is a typo.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

/// A declared property: its type name (without `graph.` / `microsoft.graph.`) and whether
/// it is a `Collection(...)`.
#[derive(Debug, Clone)]
pub struct PropDef {
    pub type_name: String,
    pub collection: bool,
}

/// An entity or complex type.
#[derive(Debug, Default, Clone)]
pub struct StructDef {
    pub base: Option<String>,
    pub is_abstract: bool,
    pub props: HashMap<String, PropDef>,
}

/// An enum type: its members and whether it is a flags enum.
#[derive(Debug, Default, Clone)]
pub struct EnumDef {
    pub members: Vec<String>,
    pub is_flags: bool,
}

/// The parsed schema.
#[derive(Debug, Default)]
pub struct Schema {
    pub structs: HashMap<String, StructDef>,
    pub enums: HashMap<String, EnumDef>,
}

/// Extra latitude for one check.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options<'a> {
    /// Property names tolerated on the top-level object although the type lacks them
    /// (for example beta-only signIn fields). Their values are not checked.
    pub extra_top_level: &'a [&'a str],
}

fn short(name: &str) -> String {
    let name = name.strip_prefix('#').unwrap_or(name);
    name.strip_prefix("microsoft.graph.")
        .or_else(|| name.strip_prefix("graph."))
        .unwrap_or(name)
        .to_string()
}

fn attrs(e: &BytesStart<'_>) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for a in e.attributes() {
        let a = a.map_err(|err| format!("bad attribute: {err}"))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|err| format!("bad attribute value: {err}"))?;
        out.insert(key, value.into_owned());
    }
    Ok(out)
}

impl Schema {
    /// Parses CSDL XML (a full `$metadata` document or a subset with the same shape).
    pub fn parse(xml: &str) -> Result<Schema, String> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().trim_text(true);
        let mut schema = Schema::default();
        let mut current_struct: Option<String> = None;
        let mut current_enum: Option<String> = None;
        loop {
            let (e, empty) = match reader.read_event() {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) => {
                    match e.name().as_ref() {
                        b"EntityType" | b"ComplexType" => current_struct = None,
                        b"EnumType" => current_enum = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) => break,
                Ok(_) => continue,
                Err(err) => {
                    return Err(format!("XML error at {}: {err}", reader.error_position()));
                }
            };
            let a = attrs(&e)?;
            let name = a.get("Name").cloned().unwrap_or_default();
            match e.name().as_ref() {
                b"EntityType" | b"ComplexType" => {
                    let def = StructDef {
                        base: a.get("BaseType").map(|b| short(b)),
                        is_abstract: a.get("Abstract").is_some_and(|v| v == "true"),
                        props: HashMap::new(),
                    };
                    schema.structs.insert(name.clone(), def);
                    current_struct = if empty { None } else { Some(name) };
                }
                b"EnumType" => {
                    let def = EnumDef {
                        members: Vec::new(),
                        is_flags: a.get("IsFlags").is_some_and(|v| v == "true"),
                    };
                    schema.enums.insert(name.clone(), def);
                    current_enum = if empty { None } else { Some(name) };
                }
                b"Member" => {
                    if let Some(en) = current_enum.as_ref().and_then(|n| schema.enums.get_mut(n)) {
                        en.members.push(name);
                    }
                }
                b"Property" | b"NavigationProperty" => {
                    let Some(st) = current_struct
                        .as_ref()
                        .and_then(|n| schema.structs.get_mut(n))
                    else {
                        continue;
                    };
                    let ty = a.get("Type").cloned().unwrap_or_default();
                    let (inner, collection) = match ty
                        .strip_prefix("Collection(")
                        .and_then(|t| t.strip_suffix(')'))
                    {
                        Some(inner) => (inner.to_string(), true),
                        None => (ty, false),
                    };
                    st.props.insert(
                        name,
                        PropDef {
                            type_name: short(&inner),
                            collection,
                        },
                    );
                }
                _ => {}
            }
        }
        Ok(schema)
    }

    /// Looks a property up on a type or any of its base types.
    pub fn property(&self, type_name: &str, prop: &str) -> Option<&PropDef> {
        let mut cur = Some(type_name.to_string());
        while let Some(name) = cur {
            let def = self.structs.get(&name)?;
            if let Some(p) = def.props.get(prop) {
                return Some(p);
            }
            cur = def.base.clone();
        }
        None
    }

    /// True when `derived` is `base` or inherits from it.
    pub fn derives_from(&self, derived: &str, base: &str) -> bool {
        let mut cur = Some(derived.to_string());
        while let Some(name) = cur {
            if name == base {
                return true;
            }
            cur = self.structs.get(&name).and_then(|d| d.base.clone());
        }
        false
    }

    /// Checks one object against `type_name`; returns every problem found, with a JSON path.
    pub fn check(&self, type_name: &str, value: &Value, opts: &Options<'_>) -> Vec<String> {
        let mut errors = Vec::new();
        self.check_struct(type_name, value, "$", opts.extra_top_level, &mut errors);
        errors
    }

    /// Checks an OData collection `{"@odata.context": …, "value": [ … ]}` item by item.
    pub fn check_collection(
        &self,
        type_name: &str,
        doc: &Value,
        opts: &Options<'_>,
    ) -> Vec<String> {
        let mut errors = Vec::new();
        if doc.get("@odata.context").and_then(Value::as_str).is_none() {
            errors.push("$: missing @odata.context".to_string());
        }
        match doc.get("value").and_then(Value::as_array) {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("$.value[{i}]");
                    self.check_struct(type_name, item, &path, opts.extra_top_level, &mut errors);
                }
            }
            None => errors.push("$: missing \"value\" array".to_string()),
        }
        errors
    }

    fn check_struct(
        &self,
        declared: &str,
        value: &Value,
        path: &str,
        extra: &[&str],
        errors: &mut Vec<String>,
    ) {
        let Some(obj) = value.as_object() else {
            errors.push(format!("{path}: expected an object of type {declared}"));
            return;
        };
        let mut actual = declared.to_string();
        if let Some(tag) = obj.get("@odata.type") {
            let Some(tag) = tag.as_str() else {
                errors.push(format!("{path}: @odata.type is not a string"));
                return;
            };
            let named = short(tag);
            if !self.structs.contains_key(&named) {
                errors.push(format!("{path}: @odata.type {tag} is not a known type"));
                return;
            }
            if !self.derives_from(&named, declared) {
                errors.push(format!(
                    "{path}: @odata.type {tag} does not derive from {declared}"
                ));
                return;
            }
            actual = named;
        }
        match self.structs.get(&actual) {
            None => {
                errors.push(format!("{path}: type {actual} is not in the schema subset"));
                return;
            }
            Some(def) if def.is_abstract => {
                errors.push(format!("{path}: abstract type {actual} needs @odata.type"));
                return;
            }
            Some(_) => {}
        }
        for (key, v) in obj {
            if key.starts_with('@') || key.contains("@odata.") {
                continue; // instance annotations
            }
            match self.property(&actual, key) {
                Some(p) => {
                    let p = p.clone();
                    self.check_value(&p, v, &format!("{path}.{key}"), errors);
                }
                None if extra.contains(&key.as_str()) => {}
                None => errors.push(format!("{path}: unknown property \"{key}\" on {actual}")),
            }
        }
    }

    fn check_value(&self, prop: &PropDef, v: &Value, path: &str, errors: &mut Vec<String>) {
        if v.is_null() {
            return;
        }
        if prop.collection {
            let Some(items) = v.as_array() else {
                errors.push(format!("{path}: expected an array of {}", prop.type_name));
                return;
            };
            let single = PropDef {
                type_name: prop.type_name.clone(),
                collection: false,
            };
            for (i, item) in items.iter().enumerate() {
                self.check_value(&single, item, &format!("{path}[{i}]"), errors);
            }
            return;
        }
        let ty = prop.type_name.as_str();
        if let Some(edm) = ty.strip_prefix("Edm.") {
            let ok = match edm {
                "String" | "Guid" | "DateTimeOffset" | "Date" | "Duration" | "TimeOfDay"
                | "Binary" => v.is_string(),
                "Boolean" => v.is_boolean(),
                "Int16" | "Int32" | "Int64" | "Byte" | "SByte" => v.is_i64() || v.is_u64(),
                "Double" | "Single" | "Decimal" => v.is_number(),
                _ => true,
            };
            if !ok {
                errors.push(format!("{path}: {v} is not a valid Edm.{edm}"));
            }
            return;
        }
        if let Some(en) = self.enums.get(ty) {
            let Some(s) = v.as_str() else {
                errors.push(format!("{path}: enum {ty} value must be a string, got {v}"));
                return;
            };
            let parts: Vec<&str> = if en.is_flags {
                s.split(',').map(str::trim).collect()
            } else {
                vec![s]
            };
            for part in parts {
                if !en.members.iter().any(|m| m.eq_ignore_ascii_case(part)) {
                    errors.push(format!("{path}: \"{part}\" is not a member of enum {ty}"));
                }
            }
            return;
        }
        if self.structs.contains_key(ty) {
            self.check_struct(ty, v, path, &[], errors);
            return;
        }
        errors.push(format!("{path}: type {ty} is not in the schema subset"));
    }
}
