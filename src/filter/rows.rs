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
        let l = &self.location;
        let d = &self.device_detail;
        match name {
            "time" => Some(FieldValue::Time(self.created_date_time)),
            "status" => Some(FieldValue::Status(self.status.error_code)),
            "code" => Some(FieldValue::Number(Some(self.status.error_code))),
            "reason" => text(self.status.failure_reason.raw()),
            "ip" => text(self.ip_address.raw()),
            "country" => text(l.country_or_region.raw()),
            "city" => text(l.city.raw()),
            "location" => Some(FieldValue::Text(Cow::Owned(format!(
                "{} {}",
                l.country_or_region.raw(),
                l.city.raw()
            )))),
            "app" => text(self.app_display_name.raw()),
            "resource" => text(self.resource_display_name.raw()),
            "client" => text(self.client_app_used.raw()),
            "browser" => text(d.browser.raw()),
            "os" => text(d.operating_system.raw()),
            "device" => text(d.display_name.raw()),
            "agent" => text(self.user_agent.raw()),
            "risk" => Some(FieldValue::Risk(self.risk().rank())),
            "user" => text(self.user_principal_name.raw()),
            "ca" => text(ca(&self.conditional_access_status)),
            "interactive" => Some(FieldValue::Bool(Some(self.interactive()))),
            "asn" => Some(FieldValue::Number(self.autonomous_system_number)),
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
