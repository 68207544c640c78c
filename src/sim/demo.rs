//! The built-in demo tenant: the files of assets/demo-tenant/ embedded at compile time, its
//! anchor instant (the data is written around it) and its well-known users.
//!
//! To add a per-user file to the demo, add ONE line to [`PER_USER`].

use super::tenant::Files;

/// The demo data is written around this instant; `rebase_to` moves it.
pub const DEMO_ANCHOR: &str = "2026-11-20T12:00:00Z";
/// alice@contoso.com, the demo suspect and default `--scale` user.
pub const DEMO_SUSPECT_ID: &str = "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e";
/// analyst@contoso.com, the user the token belongs to (`/me`).
pub const DEMO_ANALYST_ID: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";

macro_rules! demo_file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../assets/demo-tenant/", $name)),
        )
    };
}

/// Top-level files (a missing one would be an empty collection; all exist in the demo).
const TOP: &[(&str, &str)] = &[
    demo_file!("organization.json"),
    demo_file!("users.json"),
    demo_file!("signIns.json"),
    demo_file!("signIns.beta.json"),
    demo_file!("riskyUsers.json"),
    demo_file!("riskyUserHistory.json"),
    demo_file!("riskDetections.json"),
    demo_file!("oauth2PermissionGrants.json"),
    demo_file!("servicePrincipals.json"),
    demo_file!("directoryAudits.json"),
];

macro_rules! per_user {
    ($dir:literal, $user:literal) => {
        (
            $dir,
            $user,
            include_str!(concat!(
                "../../assets/demo-tenant/",
                $dir,
                "/",
                $user,
                ".json"
            )),
        )
    };
}

/// Per-user files of the demo: (folder, user id, contents). One line per file.
const PER_USER: &[(&str, &str, &str)] = &[
    per_user!(
        "authenticationMethods",
        "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e"
    ),
    per_user!("messageRules", "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e"),
    per_user!("mailFolders", "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e"),
    per_user!("signInPreferences", "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e"),
];

/// The demo's files in the same form a tenant directory is read into.
pub fn files() -> Files {
    let mut f = Files::default();
    for (name, text) in TOP {
        f.top.insert(
            (*name).to_string(),
            (format!("demo-tenant/{name}"), (*text).to_string()),
        );
    }
    for (dir, user, text) in PER_USER {
        f.per_user.push((
            (*dir).to_string(),
            (*user).to_string(),
            format!("demo-tenant/{dir}/{user}.json"),
            (*text).to_string(),
        ));
    }
    f
}

/// [`DEMO_ANCHOR`] as an instant.
pub fn anchor() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(DEMO_ANCHOR)
        .map(|d| d.to_utc())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::tenant::Tenant;

    #[test]
    fn demo_loads_and_has_the_known_users() {
        let t = Tenant::from_files(&files()).unwrap();
        assert!(t.user_index(DEMO_SUSPECT_ID).is_some());
        assert!(t.user_index(DEMO_ANALYST_ID).is_some());
        assert!(t.user_index("ALICE@contoso.com").is_some());
        assert_eq!(t.licences(), (true, true));
        assert_eq!(anchor().to_rfc3339(), "2026-11-20T12:00:00+00:00");
    }
}
