//! Clouds: which sign-in host and which Graph host a tenant lives on (graph-api.md §1.4),
//! the `--authority-url` / `--graph-url` overrides, and scopes qualified for the cloud.

use std::fmt;
use std::str::FromStr;

use url::Url;

use super::AuthError;

/// A Microsoft cloud. Tokens are not interchangeable across clouds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cloud {
    /// Global Azure (includes Microsoft 365 GCC).
    #[default]
    Global,
    /// US Government L4 (GCC High).
    UsGov,
    /// US Government L5 (DoD).
    UsGovDod,
    /// Azure operated by 21Vianet (China).
    China,
}

impl Cloud {
    /// Every cloud, for help text and config validation.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China];

    /// The name used in config files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::UsGovDod => "usgovdod",
            Cloud::China => "china",
        }
    }

    /// Root of the sign-in service (no trailing slash).
    pub fn authority_root(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://login.microsoftonline.us",
            // Entra docs; Graph docs also list login.chinacloudapi.cn (use --authority-url).
            Cloud::China => "https://login.partner.microsoftonline.cn",
        }
    }

    /// Root of Microsoft Graph in this cloud (no trailing slash). Also the resource that
    /// qualifies delegated scopes and the audience of the tokens.
    pub fn graph_root(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// Whether Identity Protection (risky users, risk detections, sign-in risk actions)
    /// exists in this cloud (global and US Gov only).
    pub fn has_identity_protection(self) -> bool {
        !matches!(self, Cloud::China)
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cloud {
    type Err = AuthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "global" | "public" | "azurecloud" | "commercial" => Ok(Cloud::Global),
            "usgov" | "gcchigh" | "gcc-high" | "usgovl4" => Ok(Cloud::UsGov),
            "usgovdod" | "dod" | "usgovl5" => Ok(Cloud::UsGovDod),
            "china" | "21vianet" | "azurechinacloud" => Ok(Cloud::China),
            other => Err(AuthError::Config(format!(
                "unknown cloud {other:?}; expected one of global, usgov, usgovdod, china"
            ))),
        }
    }
}

/// Where to sign in and where Graph is, after overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The cloud (decides scope qualification and the token audience).
    pub cloud: Cloud,
    /// Sign-in root without trailing slash, e.g. `https://login.microsoftonline.com`.
    pub authority: String,
    /// Graph root without trailing slash; `/v1.0/…` and `/beta/…` live under it.
    pub graph: String,
    /// Tenant id, verified domain, `organizations` or `common`.
    pub tenant: String,
}

impl Endpoints {
    /// Resolves the cloud defaults and the overrides, validating all of them.
    pub fn resolve(
        cloud: Cloud,
        tenant: &str,
        authority_url: Option<&str>,
        graph_url: Option<&str>,
    ) -> Result<Self, AuthError> {
        let tenant = validate_tenant(tenant)?;
        let authority = match authority_url {
            Some(u) => validate_root("--authority-url", u)?,
            None => cloud.authority_root().to_string(),
        };
        let graph = match graph_url {
            Some(u) => validate_root("--graph-url", u)?,
            None => cloud.graph_root().to_string(),
        };
        Ok(Endpoints {
            cloud,
            authority,
            graph,
            tenant,
        })
    }

    /// `{authority}/{tenant}/oauth2/v2.0/devicecode`.
    pub fn device_code_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/devicecode", self.authority, self.tenant)
    }

    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub fn token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant)
    }

    /// A Graph scope qualified with the cloud's Graph host, e.g.
    /// `https://graph.microsoft.us/AuditLog.Read.All`. Always the cloud's host, never the
    /// `--graph-url` override: the token's audience is Graph even behind a proxy.
    pub fn qualify(&self, scope: &str) -> String {
        format!("{}/{}", self.cloud.graph_root(), scope)
    }

    /// The app-only scope: `{graph}/.default`.
    pub fn default_scope(&self) -> String {
        self.qualify(".default")
    }
}

/// Tenant ids are GUIDs, domains or the well-known aliases; anything else could break out
/// of the URL path, so it is refused.
fn validate_tenant(tenant: &str) -> Result<String, AuthError> {
    let t = tenant.trim();
    let ok = !t.is_empty()
        && t.len() <= 253
        && !t.starts_with('.')
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if ok {
        Ok(t.to_string())
    } else {
        Err(AuthError::Config(format!(
            "tenant {tenant:?} is not a tenant id, a verified domain, `organizations` or `common`"
        )))
    }
}

/// An override root: http(s), no query or fragment, and plain http only to a loopback
/// address (tokens and refresh tokens travel to it).
fn validate_root(flag: &str, raw: &str) -> Result<String, AuthError> {
    let url = Url::parse(raw.trim())
        .map_err(|e| AuthError::Config(format!("{flag} {raw:?} is not a URL: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(AuthError::Config(format!(
                "{flag} {raw:?}: plain http is only allowed to a loopback address (tokens would travel in clear)"
            )));
        }
        other => {
            return Err(AuthError::Config(format!(
                "{flag} {raw:?}: unsupported scheme {other:?}"
            )));
        }
    }
    if url.host().is_none() || url.query().is_some() || url.fragment().is_some() {
        return Err(AuthError::Config(format!(
            "{flag} {raw:?} must be a root such as https://host[:port][/path], without query or fragment"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_defaults_and_paths() {
        let e = Endpoints::resolve(Cloud::Global, "contoso.com", None, None).unwrap();
        assert_eq!(
            e.device_code_url(),
            "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/devicecode"
        );
        assert_eq!(
            e.token_url(),
            "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token"
        );
        assert_eq!(e.graph, "https://graph.microsoft.com");
        assert_eq!(
            e.qualify("AuditLog.Read.All"),
            "https://graph.microsoft.com/AuditLog.Read.All"
        );
    }

    #[test]
    fn national_clouds() {
        let dod = Endpoints::resolve(Cloud::UsGovDod, "organizations", None, None).unwrap();
        assert_eq!(dod.authority, "https://login.microsoftonline.us");
        assert_eq!(
            dod.qualify("User.Read.All"),
            "https://dod-graph.microsoft.us/User.Read.All"
        );
        let cn = Endpoints::resolve(Cloud::China, "common", None, None).unwrap();
        assert_eq!(cn.graph, "https://microsoftgraph.chinacloudapi.cn");
        assert!(!Cloud::China.has_identity_protection());
        assert_eq!("gcchigh".parse::<Cloud>().unwrap(), Cloud::UsGov);
        assert!("mars".parse::<Cloud>().is_err());
    }

    #[test]
    fn overrides_append_the_same_paths() {
        let e = Endpoints::resolve(
            Cloud::UsGov,
            "t1",
            Some("http://127.0.0.1:38111/"),
            Some("http://127.0.0.1:38112"),
        )
        .unwrap();
        assert_eq!(e.token_url(), "http://127.0.0.1:38111/t1/oauth2/v2.0/token");
        assert_eq!(
            e.device_code_url(),
            "http://127.0.0.1:38111/t1/oauth2/v2.0/devicecode"
        );
        assert_eq!(e.graph, "http://127.0.0.1:38112");
        // scopes keep the cloud's Graph host
        assert_eq!(
            e.qualify("User.Read.All"),
            "https://graph.microsoft.us/User.Read.All"
        );
    }

    #[test]
    fn bad_inputs_are_refused() {
        assert!(Endpoints::resolve(Cloud::Global, "../x", None, None).is_err());
        assert!(Endpoints::resolve(Cloud::Global, "", None, None).is_err());
        assert!(Endpoints::resolve(Cloud::Global, "t", Some("http://evil.example"), None).is_err());
        assert!(Endpoints::resolve(Cloud::Global, "t", Some("ftp://127.0.0.1"), None).is_err());
        assert!(Endpoints::resolve(Cloud::Global, "t", Some("https://x/?a=b"), None).is_err());
        assert!(Endpoints::resolve(Cloud::Global, "t", None, Some("not a url")).is_err());
    }
}
