//! The row types that opt in to filtering and sorting: sign-ins, authentication methods and
//! OAuth grants (with their resolved service principals). Values are raw tenant text: they
//! are compared here and never drawn from here.

use std::borrow::Cow;

use super::field::{FieldSpec, FieldValue, Filterable, Kind};
use crate::graph::models::{
    AuthMethod, ConditionalAccessStatus, ConsentType, OAuth2PermissionGrant, ServicePrincipal,
    SignIn,
};

const fn f(name: &'static str, aliases: &'static [&'static str], kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        aliases,
        kind,
    }
}

/// Fields of a sign-in.
pub const SIGN_IN_FIELDS: &[FieldSpec] = &[
    f("time", &["when", "date", "created"], Kind::Time),
    f("status", &["result", "outcome"], Kind::Status),
    f("code", &["error", "errorcode"], Kind::Number),
    f("reason", &["failure"], Kind::Text),
    f("ip", &["address", "ipaddress"], Kind::Text),
    f("country", &["cc", "region"], Kind::Text),
    f("city", &[], Kind::Text),
    f("location", &["loc", "place"], Kind::Text),
    f("app", &["application"], Kind::Text),
    f("resource", &["api"], Kind::Text),
    f("client", &["clientapp"], Kind::Text),
    f("browser", &[], Kind::Text),
    f("os", &["platform"], Kind::Text),
    f("device", &[], Kind::Text),
    f("agent", &["useragent", "ua"], Kind::Text),
    f("risk", &["risklevel"], Kind::Risk),
    f("user", &["upn"], Kind::Text),
    f("ca", &["conditionalaccess"], Kind::Text),
    f("interactive", &[], Kind::Bool),
    f("asn", &[], Kind::Number),
];

fn text(s: &str) -> Option<FieldValue<'_>> {
    Some(FieldValue::Text(Cow::Borrowed(s)))
}

fn ca(s: &ConditionalAccessStatus) -> &str {
    match s {
        ConditionalAccessStatus::Success => "ok",
        ConditionalAccessStatus::Failure => "failed",
        ConditionalAccessStatus::NotApplied => "none",
        other => other.as_str(),
    }
}

impl Filterable for SignIn {
    fn fields(&self) -> &'static [FieldSpec] {
        SIGN_IN_FIELDS
    }

    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        self.field_at(SIGN_IN_FIELDS.iter().position(|f| f.name == name)?)
    }

    /// By position in `SIGN_IN_FIELDS` (a million rows are filtered through here).
    fn field_at(&self, i: usize) -> Option<FieldValue<'_>> {
        let l = &self.location;
        let d = &self.device_detail;
        match i {
            0 => Some(FieldValue::Time(self.created_date_time)),
            1 => Some(FieldValue::Status(self.status.error_code)),
            2 => Some(FieldValue::Number(Some(self.status.error_code))),
            3 => text(self.status.failure_reason.raw()),
            4 => text(self.ip_address.raw()),
            5 => text(l.country_or_region.raw()),
            6 => text(l.city.raw()),
            7 => Some(FieldValue::Text(Cow::Owned(format!(
                "{} {}",
                l.country_or_region.raw(),
                l.city.raw()
            )))),
            8 => text(self.app_display_name.raw()),
            9 => text(self.resource_display_name.raw()),
            10 => text(self.client_app_used.raw()),
            11 => text(d.browser.raw()),
            12 => text(d.operating_system.raw()),
            13 => text(d.display_name.raw()),
            14 => text(self.user_agent.raw()),
            15 => Some(FieldValue::Risk(self.risk().rank())),
            16 => text(self.user_principal_name.raw()),
            17 => text(ca(&self.conditional_access_status)),
            18 => Some(FieldValue::Bool(Some(self.interactive()))),
            19 => Some(FieldValue::Number(self.autonomous_system_number)),
            _ => None,
        }
    }
}

/// Fields of an authentication method.
pub const METHOD_FIELDS: &[FieldSpec] = &[
    f("type", &["kind", "method"], Kind::Text),
    f("detail", &["details"], Kind::Text),
    f("created", &["time", "when", "date"], Kind::Time),
];

impl Filterable for AuthMethod {
    fn fields(&self) -> &'static [FieldSpec] {
        METHOD_FIELDS
    }

    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        match name {
            "type" => text(self.type_label()),
            "detail" => Some(FieldValue::Text(Cow::Owned(self.detail().raw().to_owned()))),
            "created" => Some(FieldValue::Time(self.created_date_time)),
            _ => None,
        }
    }
}

/// Fields of an OAuth grant.
pub const GRANT_FIELDS: &[FieldSpec] = &[
    f("app", &["client"], Kind::Text),
    f("publisher", &[], Kind::Text),
    f("verified", &[], Kind::Bool),
    f("consent", &["consenttype"], Kind::Text),
    f("api", &["resource"], Kind::Text),
    f("scope", &["scopes", "permission"], Kind::Text),
];

/// A grant with its client and resource service principals, when resolved.
#[derive(Debug, Clone, Copy)]
pub struct GrantRow<'a> {
    /// The grant.
    pub grant: &'a OAuth2PermissionGrant,
    /// Its client service principal.
    pub client: Option<&'a ServicePrincipal>,
    /// The API's service principal.
    pub resource: Option<&'a ServicePrincipal>,
}

impl Filterable for GrantRow<'_> {
    fn fields(&self) -> &'static [FieldSpec] {
        GRANT_FIELDS
    }

    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        let g = self.grant;
        match name {
            "app" => text(self.client.map_or(g.client_id.as_str(), |p| p.name().raw())),
            "publisher" => text(
                self.client
                    .and_then(|p| p.verified_publisher.as_ref())
                    .and_then(|v| v.display_name.as_ref())
                    .map_or("", |t| t.raw()),
            ),
            "verified" => Some(FieldValue::Bool(
                self.client.map(ServicePrincipal::is_verified),
            )),
            "consent" => text(match &g.consent_type {
                ConsentType::Principal => "user",
                ConsentType::AllPrincipals => "admin",
                other => other.as_str(),
            }),
            "api" => text(
                self.resource
                    .map_or(g.resource_id.as_str(), |p| p.name().raw()),
            ),
            "scope" => text(g.scope.raw()),
            _ => None,
        }
    }
}
