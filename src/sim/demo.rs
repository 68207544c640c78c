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
        "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
    ),
    per_user!(
        "authenticationMethods",
        "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e"
    ),
    per_user!(
        "authenticationMethods",
        "5d8e2c71-0a4b-4f3e-9d6c-7b1a2e3f4c5d"
    ),
    per_user!(
        "authenticationMethods",
        "8a1b3c5d-7e9f-4a2b-b4c6-d8e0f2a4b6c8"
    ),
    per_user!(
        "authenticationMethods",
        "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"
    ),
    per_user!(
        "authenticationMethods",
        "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
    ),
    per_user!(
        "authenticationMethods",
        "c4e6a8b0-2d4f-4e6a-8c0e-2a4c6e8a0b2d"
    ),
    per_user!(
        "authenticationMethods",
        "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"
    ),
    per_user!(
        "authenticationMethods",
        "f7a8b9c0-d1e2-4f3a-9b4c-5d6e7f8a9b0c"
    ),
    per_user!("mailFolders", "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"),
    per_user!("mailFolders", "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e"),
    per_user!("mailFolders", "5d8e2c71-0a4b-4f3e-9d6c-7b1a2e3f4c5d"),
    per_user!("mailFolders", "8a1b3c5d-7e9f-4a2b-b4c6-d8e0f2a4b6c8"),
    per_user!("mailFolders", "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"),
    per_user!("mailFolders", "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"),
    per_user!("mailFolders", "c4e6a8b0-2d4f-4e6a-8c0e-2a4c6e8a0b2d"),
    per_user!("mailFolders", "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"),
    per_user!("mailFolders", "f7a8b9c0-d1e2-4f3a-9b4c-5d6e7f8a9b0c"),
    per_user!("messageRules", "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"),
    per_user!("messageRules", "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e"),
    per_user!("messageRules", "5d8e2c71-0a4b-4f3e-9d6c-7b1a2e3f4c5d"),
    per_user!("messageRules", "8a1b3c5d-7e9f-4a2b-b4c6-d8e0f2a4b6c8"),
    per_user!("messageRules", "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"),
    per_user!("messageRules", "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"),
    per_user!("messageRules", "c4e6a8b0-2d4f-4e6a-8c0e-2a4c6e8a0b2d"),
    per_user!("messageRules", "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"),
    per_user!("messageRules", "f7a8b9c0-d1e2-4f3a-9b4c-5d6e7f8a9b0c"),
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
