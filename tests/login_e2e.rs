//! The whole sign-in path with the real binary and no Microsoft: `simulate` serves the v2.0
//! device-code and token endpoints beside Graph; `login --authority-url … --graph-url …`
//! (no terminal) prints the code on stderr and waits; the code is approved the way a person
//! would (the verification page); the token is cached owner-only; `whoami` names the analyst;
//! `report` then reads Graph with that token, and the inbox rules — which a delegated token
//! cannot read in another user's mailbox — are reported as a gap, not an error.

#[path = "support/idp.rs"]
mod idp;

use idp::Sim;

#[test]
fn device_code_login_caches_the_token_and_report_uses_it() {
    let data = tempfile::tempdir().unwrap();
    let sim = Sim::start(data.path(), &[] as &[&str]);
    let uri = sim.login(data.path());
    assert!(uri.starts_with(&sim.graph), "{uri}");

    // Cached owner-only.
    let cache = std::fs::read_dir(data.path().join("tokens"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", cache.display());
    }

    let out = sim.command(data.path(), &["whoami"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("analyst@contoso.com"), "{said}");
    let cached = std::fs::read_to_string(&cache).unwrap();
    let access: serde_json::Value = serde_json::from_str(&cached).unwrap();
    let token = access["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!token.is_empty() && !said.contains(&token));

    let out = sim
        .command(
            data.path(),
            &["report", "alice@contoso.com", "--format", "json"],
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["indicator"] == "impossible_travel")
    );
    let gaps = r["dataGaps"].to_string();
    assert!(
        gaps.contains("ErrorAccessDenied"),
        "rules should be a gap with the reason: {gaps}"
    );
    assert!(!stderr.contains(&token) && !String::from_utf8_lossy(&out.stdout).contains(&token));

    // Neither the access token nor the refresh token reaches a log file.
    let refresh = access["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let logs = std::fs::read_to_string(data.path().join("logs").join("entra-triage.log"))
        .unwrap_or_default();
    assert!(!logs.contains(&token) && (refresh.is_empty() || !logs.contains(&refresh)));
}
