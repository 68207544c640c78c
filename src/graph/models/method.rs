//! Authentication methods (graph-api.md §7): polymorphic on `@odata.type`. A type this build
//! does not know is kept with its raw JSON and shown, never an error.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::TenantText;
use super::de::{lenient, opt_time, parse_time};

/// The fixed id of every user's password method.
pub const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";

/// One registered authentication method.
#[derive(Debug, Clone, Serialize)]
pub struct AuthMethod {
    pub id: String,
    /// `@odata.type` as sent (e.g. `#microsoft.graph.phoneAuthenticationMethod`).
    pub odata_type: String,
    pub created_date_time: Option<DateTime<Utc>>,
    pub kind: MethodKind,
}

/// The per-type details of a method.
#[derive(Debug, Clone, Serialize)]
pub enum MethodKind {
    Password,
    Phone(PhoneMethod),
    Email {
        email_address: TenantText,
    },
    MicrosoftAuthenticator(AuthenticatorMethod),
    Fido2(Fido2Method),
    SoftwareOath,
    WindowsHello(DeviceKeyMethod),
    PlatformCredential(DeviceKeyMethod),
    TemporaryAccessPass(TapMethod),
    External {
        configuration_id: String,
        display_name: TenantText,
    },
    /// A type this build does not know: the raw object, kept for display and evidence.
    Unknown(serde_json::Value),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PhoneMethod {
    pub phone_number: TenantText,
    pub phone_type: TenantText,
    pub sms_sign_in_state: TenantText,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthenticatorMethod {
    pub display_name: TenantText,
    pub device_tag: TenantText,
    pub phone_app_version: TenantText,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Fido2Method {
    pub display_name: TenantText,
    pub aa_guid: TenantText,
    pub model: TenantText,
    pub attestation_level: TenantText,
    pub passkey_type: TenantText,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceKeyMethod {
    pub display_name: TenantText,
    pub key_strength: TenantText,
    pub platform: TenantText,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TapMethod {
    #[serde(deserialize_with = "opt_time")]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient")]
    pub lifetime_in_minutes: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub is_usable_once: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub is_usable: Option<bool>,
    pub method_usability_reason: TenantText,
}

impl AuthMethod {
    /// Builds a method from one JSON object of the methods list. Never fails: anything odd
    /// becomes `Unknown` with the raw object.
    pub fn from_value(v: serde_json::Value) -> Self {
        let id = v
            .get("id")
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_owned();
        let odata_type = v
            .get("@odata.type")
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_owned();
        let created_date_time = v
            .get("createdDateTime")
            .or_else(|| v.get("creationDateTime"))
            .and_then(|x| x.as_str())
            .and_then(parse_time);
        let short = odata_type
            .trim_start_matches('#')
            .trim_start_matches("microsoft.graph.");
        let kind = match short {
            "passwordAuthenticationMethod" => Some(MethodKind::Password),
            "phoneAuthenticationMethod" => serde_json::from_value(v.clone())
                .ok()
                .map(MethodKind::Phone),
            "emailAuthenticationMethod" => Some(MethodKind::Email {
                email_address: text(&v, "emailAddress"),
            }),
            "microsoftAuthenticatorAuthenticationMethod" => serde_json::from_value(v.clone())
                .ok()
                .map(MethodKind::MicrosoftAuthenticator),
            "fido2AuthenticationMethod" => serde_json::from_value(v.clone())
                .ok()
                .map(MethodKind::Fido2),
            "softwareOathAuthenticationMethod" => Some(MethodKind::SoftwareOath),
            "windowsHelloForBusinessAuthenticationMethod" => serde_json::from_value(v.clone())
                .ok()
                .map(MethodKind::WindowsHello),
            "platformCredentialAuthenticationMethod" => serde_json::from_value(v.clone())
                .ok()
                .map(MethodKind::PlatformCredential),
            "temporaryAccessPassAuthenticationMethod" => serde_json::from_value(v.clone())
                .ok()
                .map(MethodKind::TemporaryAccessPass),
            "externalAuthenticationMethod" => Some(MethodKind::External {
                configuration_id: v
                    .get("configurationId")
                    .and_then(|x| x.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                display_name: text(&v, "displayName"),
            }),
            _ => None,
        };
        let kind = kind.unwrap_or(MethodKind::Unknown(v));
        Self {
            id,
            odata_type,
            created_date_time,
            kind,
        }
    }

    /// The per-type collection under `/users/{id}/authentication/` (for GET and DELETE).
    pub fn collection(&self) -> Option<&'static str> {
        Some(match self.kind {
            MethodKind::Password => "passwordMethods",
            MethodKind::Phone(_) => "phoneMethods",
            MethodKind::Email { .. } => "emailMethods",
            MethodKind::MicrosoftAuthenticator(_) => "microsoftAuthenticatorMethods",
            MethodKind::Fido2(_) => "fido2Methods",
            MethodKind::SoftwareOath => "softwareOathMethods",
            MethodKind::WindowsHello(_) => "windowsHelloForBusinessMethods",
            MethodKind::PlatformCredential(_) => "platformCredentialMethods",
            MethodKind::TemporaryAccessPass(_) => "temporaryAccessPassMethods",
            MethodKind::External { .. } => "externalAuthenticationMethods",
            MethodKind::Unknown(_) => return None,
        })
    }

    /// A short human label for the type.
    pub fn type_label(&self) -> &'static str {
        match self.kind {
            MethodKind::Password => "Password",
            MethodKind::Phone(_) => "Phone",
            MethodKind::Email { .. } => "Email",
            MethodKind::MicrosoftAuthenticator(_) => "Authenticator app",
            MethodKind::Fido2(_) => "FIDO2 / passkey",
            MethodKind::SoftwareOath => "Software OATH token",
            MethodKind::WindowsHello(_) => "Windows Hello",
            MethodKind::PlatformCredential(_) => "Platform credential",
            MethodKind::TemporaryAccessPass(_) => "Temporary Access Pass",
            MethodKind::External { .. } => "External method",
            MethodKind::Unknown(_) => "Unknown type",
        }
    }

    /// The most telling tenant-supplied detail (device name, number, address…), unsanitised.
    pub fn detail(&self) -> TenantText {
        match &self.kind {
            MethodKind::Phone(p) => {
                TenantText::new(format!("{} {}", p.phone_type.raw(), p.phone_number.raw()))
            }
            MethodKind::Email { email_address } => email_address.clone(),
            MethodKind::MicrosoftAuthenticator(a) => a.display_name.clone(),
            MethodKind::Fido2(f) => {
                TenantText::new(format!("{} {}", f.display_name.raw(), f.model.raw()))
            }
            MethodKind::WindowsHello(d) | MethodKind::PlatformCredential(d) => {
                d.display_name.clone()
            }
            MethodKind::TemporaryAccessPass(t) => TenantText::new(format!(
                "usable: {} ({})",
                t.is_usable.map_or("?", |u| if u { "yes" } else { "no" }),
                t.method_usability_reason.raw()
            )),
            MethodKind::External { display_name, .. } => display_name.clone(),
            MethodKind::Unknown(_) => TenantText::new(self.odata_type.clone()),
            MethodKind::Password | MethodKind::SoftwareOath => TenantText::default(),
        }
    }

    /// Whether the method can be used as a second factor (everything but password/email/TAP).
    pub fn is_mfa(&self) -> bool {
        !matches!(
            self.kind,
            MethodKind::Password | MethodKind::Email { .. } | MethodKind::TemporaryAccessPass(_)
        )
    }
}

fn text(v: &serde_json::Value, key: &str) -> TenantText {
    TenantText::new(v.get(key).and_then(|x| x.as_str()).unwrap_or_default())
}

impl<'de> Deserialize<'de> for AuthMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_value(serde_json::Value::deserialize(d)?))
    }
}

/// Beta `signInPreferences`: tells which method is the user's default.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInPreferences {
    #[serde(deserialize_with = "lenient")]
    pub is_system_preferred_authentication_method_enabled: Option<bool>,
    pub user_preferred_method_for_secondary_authentication: Option<String>,
    pub system_preferred_authentication_method: Option<String>,
}

/// Reads one methods-list page (`value` array of polymorphic objects).
pub fn methods_from_page(page: &serde_json::Value) -> Vec<AuthMethod> {
    match page.get("value") {
        Some(serde_json::Value::Array(items)) => {
            items.iter().cloned().map(AuthMethod::from_value).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polymorphic_methods_and_unknown_types() {
        let page = serde_json::json!({"value": [
            {"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": PASSWORD_METHOD_ID},
            {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m1",
             "displayName": "Pixel 7 Pro", "createdDateTime": "2026-11-18T09:30:00Z"},
            {"@odata.type": "#microsoft.graph.qrCodePinAuthenticationMethod", "id": "q1", "x": 1},
            {"id": "no-type"}
        ]});
        let m = methods_from_page(&page);
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].collection(), Some("passwordMethods"));
        assert_eq!(m[1].detail().raw(), "Pixel 7 Pro");
        assert!(m[1].created_date_time.is_some());
        assert!(matches!(m[2].kind, MethodKind::Unknown(_)));
        assert_eq!(m[2].collection(), None);
        assert!(matches!(m[3].kind, MethodKind::Unknown(_)));
    }
}
