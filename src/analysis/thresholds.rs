//! `Thresholds`: the tunable knobs of the indicators — the `[analysis]` section of the config
//! file. Every field has a default; a partial section keeps the defaults for the rest.

use serde::{Deserialize, Serialize};

use super::net::Cidr;

/// A named egress of the organisation's VPN or proxy (sign-ins from it are never location
/// or travel findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpnEgress {
    /// Shown in summaries, e.g. "Corp VPN Frankfurt".
    pub name: String,
    /// `203.0.113.0/24` or a single address.
    pub cidr: String,
}

/// Indicator thresholds (`[analysis]` in the config file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// Speed above which two consecutive successful sign-ins are impossible travel, km/h.
    /// Default 900 (an airliner).
    pub travel_speed_kmh: f64,
    /// Shortest distance that counts as travel, km. Default 300: closer hops are geo-IP noise
    /// or the same network seen from two exits.
    pub travel_min_distance_km: f64,
    /// ISO 3166 two-letter codes never flagged as unfamiliar. Default: none.
    pub trusted_countries: Vec<String>,
    /// Address ranges (CIDR or single addresses) never flagged for location or travel.
    /// Default: none.
    pub trusted_cidrs: Vec<String>,
    /// Named VPN/proxy egresses, treated like trusted ranges and named in summaries.
    /// Default: none.
    pub vpn_egresses: Vec<VpnEgress>,
    /// Credential failures that, followed by a success, make `failures_then_success`.
    /// Default 5.
    pub failure_burst: usize,
    /// Window in which those failures must fall before the success, minutes. Default 60.
    pub failure_burst_minutes: i64,
    /// MFA denials/timeouts that make `mfa_fatigue`. Default 3.
    pub mfa_denials: usize,
    /// Window in which those denials must fall, minutes. Default 60.
    pub mfa_denial_minutes: i64,
    /// Successful sign-ins before the window needed for a baseline; fewer are topped up with
    /// the earliest successful sign-ins of the window (at most half of them). Default 10.
    pub min_baseline: usize,
    /// Delegated scopes that make a grant high risk (case-insensitive).
    /// Default: mail, files, sites, directory, contacts, notes, offline_access, EWS…
    pub high_risk_scopes: Vec<String>,
    /// Mail folder names where a rule moving mail hides it (case-insensitive).
    /// Default: RSS Feeds, RSS Subscriptions, Conversation History, Junk Email, Archive, …
    pub obscure_folders: Vec<String>,
    /// A folder with fewer items than this is "rarely used" as a rule target. Default 5.
    pub rare_folder_items: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect();
        Self {
            travel_speed_kmh: 900.0,
            travel_min_distance_km: 300.0,
            trusted_countries: Vec::new(),
            trusted_cidrs: Vec::new(),
            vpn_egresses: Vec::new(),
            failure_burst: 5,
            failure_burst_minutes: 60,
            mfa_denials: 3,
            mfa_denial_minutes: 60,
            min_baseline: 10,
            high_risk_scopes: s(&[
                "Mail.Read",
                "Mail.ReadWrite",
                "Mail.Send",
                "Mail.ReadBasic",
                "Mail.Read.Shared",
                "Mail.ReadWrite.Shared",
                "Mail.Send.Shared",
                "MailboxSettings.ReadWrite",
                "Files.Read.All",
                "Files.ReadWrite.All",
                "Sites.Read.All",
                "Sites.ReadWrite.All",
                "Sites.FullControl.All",
                "Directory.ReadWrite.All",
                "Directory.AccessAsUser.All",
                "User.ReadWrite.All",
                "offline_access",
                "full_access_as_user",
                "EWS.AccessAsUser.All",
                "IMAP.AccessAsUser.All",
                "POP.AccessAsUser.All",
                "SMTP.Send",
                "Contacts.ReadWrite",
                "Notes.ReadWrite.All",
                "Application.ReadWrite.All",
                "RoleManagement.ReadWrite.Directory",
            ]),
            obscure_folders: s(&[
                "RSS Feeds",
                "RSS Subscriptions",
                "Conversation History",
                "Junk Email",
                "Archive",
                "Notes",
                "Sync Issues",
                "Conflicts",
                "Local Failures",
                "Server Failures",
                "Deleted Items",
                "Outbox",
                "Scheduled",
            ]),
            rare_folder_items: 5,
        }
    }
}

impl Thresholds {
    /// Parsed trusted ranges with a label: VPN egress name, or "trusted range".
    pub fn trusted_ranges(&self) -> Vec<(Cidr, String)> {
        let mut out: Vec<(Cidr, String)> = self
            .vpn_egresses
            .iter()
            .filter_map(|v| Cidr::parse(&v.cidr).map(|c| (c, v.name.clone())))
            .collect();
        out.extend(
            self.trusted_cidrs
                .iter()
                .filter_map(|c| Cidr::parse(c).map(|c| (c, "trusted range".to_owned()))),
        );
        out
    }

    /// Whether `cc` is a trusted country.
    pub fn is_trusted_country(&self, cc: &str) -> bool {
        let cc = cc.trim();
        !cc.is_empty()
            && self
                .trusted_countries
                .iter()
                .any(|t| t.trim().eq_ignore_ascii_case(cc))
    }

    pub fn is_high_risk_scope(&self, scope: &str) -> bool {
        self.high_risk_scopes
            .iter()
            .any(|h| h.eq_ignore_ascii_case(scope))
    }

    pub fn is_obscure_folder(&self, name: &str) -> bool {
        let n = name.trim();
        self.obscure_folders
            .iter()
            .any(|o| o.trim().eq_ignore_ascii_case(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_toml_keeps_defaults() {
        let t: Thresholds = toml::from_str(
            "travel_speed_kmh = 1000.0\ntrusted_countries = [\"nl\"]\n\
             vpn_egresses = [{ name = \"Corp VPN\", cidr = \"198.51.100.0/24\" }]\n",
        )
        .unwrap();
        assert_eq!(t.travel_speed_kmh, 1000.0);
        assert_eq!(t.failure_burst, 5);
        assert!(t.is_trusted_country("NL"));
        assert!(!t.is_trusted_country(""));
        assert_eq!(t.trusted_ranges().len(), 1);
        assert!(t.is_high_risk_scope("mail.read"));
        assert!(!t.is_high_risk_scope("User.Read"));
        assert!(t.is_obscure_folder(" rss feeds"));
    }
}
