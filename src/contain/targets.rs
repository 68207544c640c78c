//! What containment acts on besides the user: authentication methods resolved to their
//! per-type endpoints (unknown types explained, never guessed), grants and Inbox rules; the
//! "remove all methods" order (default last) and grant narrowing. Plain data, no IO.

use crate::graph::models::{AuthMethod, MethodKind, TenantText};

use super::action::DangerousAction;

/// One authentication method, resolved to its per-type endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodRef {
    /// Method id.
    pub id: String,
    /// Per-type collection (`phoneMethods`, `fido2Methods`, …).
    pub collection: &'static str,
    /// What the analyst sees (type and device/number), sanitised.
    pub label: String,
}

/// Per-type collections of deletable methods (graph-api.md §7).
const COLLECTIONS: &[(&str, &str)] = &[
    ("phoneAuthenticationMethod", "phoneMethods"),
    ("emailAuthenticationMethod", "emailMethods"),
    (
        "microsoftAuthenticatorAuthenticationMethod",
        "microsoftAuthenticatorMethods",
    ),
    ("fido2AuthenticationMethod", "fido2Methods"),
    ("softwareOathAuthenticationMethod", "softwareOathMethods"),
    (
        "windowsHelloForBusinessAuthenticationMethod",
        "windowsHelloForBusinessMethods",
    ),
    (
        "platformCredentialAuthenticationMethod",
        "platformCredentialMethods",
    ),
    (
        "temporaryAccessPassAuthenticationMethod",
        "temporaryAccessPassMethods",
    ),
    (
        "externalAuthenticationMethod",
        "externalAuthenticationMethods",
    ),
];

/// `#microsoft.graph.fooMethod` → `fooMethod`.
pub fn short_type(odata_type: &str) -> &str {
    odata_type
        .trim_start_matches('#')
        .trim_start_matches("microsoft.graph.")
}

impl MethodRef {
    /// The method's per-type endpoint, or why it cannot be removed from here (password, or a
    /// type this build does not know — explained, never guessed).
    pub fn from_method(m: &AuthMethod) -> Result<MethodRef, String> {
        let t = short_type(&m.odata_type);
        if matches!(m.kind, MethodKind::Password) || t == "passwordAuthenticationMethod" {
            return Err("the password method cannot be deleted (reset it instead)".into());
        }
        let Some((_, coll)) = COLLECTIONS.iter().find(|(ty, _)| *ty == t) else {
            return Err(format!(
                "unknown method type '{}': this build does not know its endpoint; remove it in the Entra admin center",
                crate::sanitize::line_capped(t, 60)
            ));
        };
        Ok(MethodRef {
            id: m.id.clone(),
            collection: coll,
            label: method_label(m),
        })
    }
}

/// `Authenticator "Pixel 7 Pro"`, `phone mobile +31 6…`.
pub fn method_label(m: &AuthMethod) -> String {
    let s = |t: &TenantText| crate::sanitize::line_capped(t.raw(), 40);
    match &m.kind {
        MethodKind::Password => "password".into(),
        MethodKind::Phone(p) => format!("phone {} {}", s(&p.phone_type), s(&p.phone_number)),
        MethodKind::Email { email_address } => format!("email {}", s(email_address)),
        MethodKind::MicrosoftAuthenticator(a) => {
            format!("Authenticator \"{}\"", s(&a.display_name))
        }
        MethodKind::Fido2(f) => format!("FIDO2 \"{}\"", s(&f.display_name)),
        MethodKind::SoftwareOath => "software OATH token".into(),
        MethodKind::WindowsHello(d) => format!("Windows Hello \"{}\"", s(&d.display_name)),
        MethodKind::PlatformCredential(d) => {
            format!("platform credential \"{}\"", s(&d.display_name))
        }
        MethodKind::TemporaryAccessPass(_) => "Temporary Access Pass".into(),
        MethodKind::External { display_name, .. } => format!("external \"{}\"", s(display_name)),
        MethodKind::Unknown(_) => format!(
            "unknown type {}",
            crate::sanitize::line_capped(short_type(&m.odata_type), 40)
        ),
    }
}

/// One delegated permission grant.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantRef {
    /// Grant id.
    pub id: String,
    /// The client app as the analyst knows it (sanitised).
    pub client: String,
    /// The scopes granted now (raw, space-separated).
    pub scope: String,
}

/// One Inbox rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRef {
    /// Rule id (base64, percent-encoded in paths).
    pub id: String,
    /// Rule name (sanitised).
    pub name: String,
}

/// Removal order for "remove all methods": every deletable method except password and TAP
/// (the TAP is how the user re-registers), the default method last; unknown types explained.
pub fn remove_all_methods(
    methods: &[AuthMethod],
    default_pref: Option<&str>,
) -> (Vec<DangerousAction>, Vec<String>) {
    let mut keep_last = Vec::new();
    let mut first = Vec::new();
    let mut notes = Vec::new();
    for m in methods {
        if matches!(m.kind, MethodKind::TemporaryAccessPass(_)) {
            continue;
        }
        match MethodRef::from_method(m) {
            Ok(r) => {
                let is_default = default_pref.is_some_and(|p| provides(p, m));
                if is_default {
                    keep_last.push(DangerousAction::RemoveMethod(r));
                } else {
                    first.push(DangerousAction::RemoveMethod(r));
                }
            }
            Err(why) if matches!(m.kind, MethodKind::Password) => drop(why),
            Err(why) => notes.push(why),
        }
    }
    // A mobile phone cannot go while an alternate mobile exists: alternates first.
    first.sort_by_key(|a| match a {
        DangerousAction::RemoveMethod(r) if r.label.starts_with("phone mobile") => 1,
        _ => 0,
    });
    first.extend(keep_last);
    (first, notes)
}

/// Does method `m` provide the preferred secondary method `pref` (beta signInPreferences)?
pub fn provides(pref: &str, m: &AuthMethod) -> bool {
    let phone = |kind: &str| matches!(&m.kind, MethodKind::Phone(p) if p.phone_type.raw().eq_ignore_ascii_case(kind));
    match pref.to_ascii_lowercase().as_str() {
        "push" => matches!(m.kind, MethodKind::MicrosoftAuthenticator(_)),
        "oath" => matches!(m.kind, MethodKind::SoftwareOath),
        "sms" | "voicemobile" => phone("mobile"),
        "voicealternatemobile" => phone("alternateMobile"),
        "voiceoffice" => phone("office"),
        _ => false,
    }
}

/// Scopes considered high-risk in a grant (mail, files, directory, offline access…).
pub const RISKY_SCOPES: &[&str] = &[
    "mail.",
    "files.",
    "sites.",
    "directory.",
    "user.readwrite",
    "offline_access",
    "full_access",
    "mailboxsettings.",
    "contacts.",
    "calendars.readwrite",
    "exchange",
    "ews.",
];

/// The grant's scopes without the high-risk ones, if that removes any and leaves some.
pub fn narrowed_scope(scope: &str) -> Option<String> {
    let all: Vec<&str> = scope.split_whitespace().collect();
    let kept: Vec<&str> = all
        .iter()
        .copied()
        .filter(|s| {
            let l = s.to_ascii_lowercase();
            !RISKY_SCOPES
                .iter()
                .any(|r| l.starts_with(r) || l == r.trim_end_matches('.'))
        })
        .collect();
    (kept.len() < all.len() && !kept.is_empty()).then(|| kept.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contain::action::PASSWORD_METHOD_ID;
    use serde_json::{Value, json};

    #[test]
    fn unknown_method_types_are_explained_and_default_goes_last() {
        let mk = |v: Value| AuthMethod::from_value(v);
        let methods = vec![
            mk(
                json!({"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": PASSWORD_METHOD_ID}),
            ),
            mk(
                json!({"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "a1", "displayName": "iPhone"}),
            ),
            mk(
                json!({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "p1", "phoneType": "mobile", "phoneNumber": "+1 555"}),
            ),
            mk(json!({"@odata.type": "#microsoft.graph.quantumMethod", "id": "q1"})),
        ];
        let (actions, notes) = remove_all_methods(&methods, Some("push"));
        assert_eq!(actions.len(), 2);
        assert!(matches!(&actions[1], DangerousAction::RemoveMethod(r) if r.id == "a1"));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("quantumMethod"), "{notes:?}");
    }

    #[test]
    fn narrowing_drops_risky_scopes_only() {
        assert_eq!(
            narrowed_scope(" openid profile Mail.ReadWrite offline_access ").as_deref(),
            Some("openid profile")
        );
        assert_eq!(narrowed_scope("openid profile"), None);
        assert_eq!(narrowed_scope("Mail.Read"), None);
    }
}
