//! App-only certificate credentials end to end, with the real binary and no Microsoft:
//! `simulate --app-certificate` registers the test certificate on the sign-in app (application
//! permission MailboxSettings.Read); the analyst signs in by device code (delegated); then
//! `whoami` shows the app-only credential and its roles, and `report` reads the suspect's inbox
//! rules — which a delegated token cannot — through the certificate's app-only token and
//! everything else as the analyst (without the delegated sign-in, the report is refused).
//! A key that is not the certificate's is refused by the sign-in service with AADSTS700027, and
//! a key file readable by others is refused before anything is sent.
//! The console does the same: its Rules pane shows the suspect's rules with the certificate and
//! the "needs the application permission" explanation without it.
//! Key material: tests/fixtures/app-cert (test-only throwaway keys).

#[path = "support/pty.rs"]
mod pty;

#[path = "support/idp.rs"]
mod idp;

use std::path::{Path, PathBuf};
use std::process::Output;

use idp::{BIN, CLIENT_ID, Sim, TENANT};
use pty::plain;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/app-cert");

/// A copy of a fixture with `mode` (git checks the fixtures out world-readable).
fn copy(dir: &Path, name: &str, mode: u32) -> PathBuf {
    let path = dir.join(format!("{mode:o}-{name}"));
    std::fs::copy(Path::new(FIXTURES).join(name), &path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
    path
}

/// The simulator with the test certificate registered on the sign-in app.
fn simulate(data: &Path) -> Sim {
    let cert = Path::new(FIXTURES).join("test-only-app.cer.pem");
    Sim::start(data, &[Path::new("--app-certificate"), &cert])
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every base64 line of the private key PEM (none may appear anywhere the tool writes).
fn key_lines() -> Vec<String> {
    let pem = std::fs::read_to_string(Path::new(FIXTURES).join("test-only-app.pem")).unwrap();
    let key = pem.split("-----END PRIVATE KEY-----").next().unwrap();
    key.lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 40)
        .map(str::to_owned)
        .collect()
}

#[test]
fn certificate_app_only_reads_other_mailbox_rules_and_shows_in_whoami() {
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let sim = simulate(data.path());
    sim.login(data.path());
    let cert = copy(keys.path(), "test-only-app.pem", 0o600);
    let cert_arg = cert.to_str().unwrap();

    // whoami: the delegated analyst, then the app-only credential and what it may do.
    let out = sim
        .command(data.path(), &["whoami", "--app-only-certificate", cert_arg])
        .output()
        .unwrap();
    let (said, err) = text(&out);
    assert!(out.status.success(), "{said}{err}");
    assert!(said.contains("analyst@contoso.com"), "{said}");
    assert!(
        said.contains(&format!("app-only   certificate {cert_arg} (thumbprint ")),
        "{said}"
    );
    // The admin center's SHA-1 thumbprint (`openssl x509 -noout -fingerprint -sha1`).
    assert!(
        said.contains("(thumbprint B0C30E18DAF26794130DFEDAC0FBFB102A6084E8)"),
        "{said}"
    );
    assert!(said.contains("app roles  MailboxSettings.Read"), "{said}");
    assert!(
        said.contains("app used   another user's inbox rules and mail folders (nothing else)"),
        "{said}"
    );

    // report: the inbox rules arrive (no access-denied gap) and the forwarding rule is found.
    let out = sim
        .command(
            data.path(),
            &["report", "alice@contoso.com", "--format", "json"],
        )
        .args(["--app-only-certificate", cert_arg])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let gaps = r["dataGaps"].to_string();
    assert!(
        !gaps.contains("inbox rules"),
        "rules should be read: {gaps}"
    );
    let rule_evidence = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["type"] == "messageRule")
        .count();
    assert!(
        rule_evidence > 0,
        "no finding cites an inbox rule: {stdout}"
    );

    // Only the mailbox reads are app-only: without the analyst's sign-in there is no report.
    let out = sim.command(data.path(), &["logout"]).output().unwrap();
    assert!(out.status.success());
    let out = sim
        .command(
            data.path(),
            &["report", "alice@contoso.com", "--format", "json"],
        )
        .args(["--app-only-certificate", cert_arg])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("entra-triage login"), "{stderr}");

    // The key never reaches the log file or any output.
    let logs = std::fs::read_to_string(data.path().join("logs").join("entra-triage.log"))
        .unwrap_or_default();
    for l in key_lines() {
        for hay in [&logs, &said, &stdout, &stderr] {
            assert!(!hay.contains(&l), "a line of the private key leaked");
        }
    }
}

#[test]
fn wrong_key_names_aadsts700027_and_open_key_file_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let sim = simulate(data.path());
    sim.login(data.path());

    // The registered certificate, but a key that is not its own (PKCS#1, second file).
    let cert = Path::new(FIXTURES).join("test-only-app.cer.pem");
    let wrong = copy(keys.path(), "test-only-wrong-key.pkcs1.pem", 0o600);
    let with_wrong = |args: &[&str]| {
        sim.command(data.path(), args)
            .arg("--app-only-certificate")
            .arg(&cert)
            .arg("--app-only-key")
            .arg(&wrong)
            .output()
            .unwrap()
    };
    let out = with_wrong(&["whoami"]);
    let (said, _) = text(&out);
    assert!(said.contains("UNAVAILABLE"), "{said}");
    assert!(said.contains("AADSTS700027"), "{said}");
    assert!(said.contains("invalid signature"), "{said}");
    assert!(said.contains("upload the .cer"), "{said}");

    let out = with_wrong(&["report", "alice@contoso.com", "--format", "json"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("incomplete: inbox rules") && stderr.contains("AADSTS700027"),
        "{stderr}"
    );
    assert!(stdout.contains("AADSTS700027"), "the gap names the code");

    // A key file others may read: refused with the fix, nothing sent.
    let open = copy(keys.path(), "test-only-app.pem", 0o644);
    let out = sim
        .command(
            data.path(),
            &["report", "alice@contoso.com", "--format", "json"],
        )
        .arg("--app-only-certificate")
        .arg(&open)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(&format!("chmod 600 {}", open.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("PRIVATE KEY"), "{stderr}");
}

#[test]
fn the_console_reads_the_suspects_rules_with_the_certificate() {
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let sim = simulate(data.path());
    sim.login(data.path());
    let cert = copy(keys.path(), "test-only-app.pem", 0o600);
    let data_dir = data.path().to_string_lossy().into_owned();
    let rules_pane = |extra: &str| {
        let cmd = format!(
            "exec '{BIN}' alice@contoso.com --graph-url '{g}' --authority-url '{g}' --tenant {TENANT} --client-id {CLIENT_ID} {extra}",
            g = sim.graph
        );
        let mut pty = pty::Pty::start(&cmd, &[("ENTRA_TRIAGE_DATA_DIR", data_dir.as_str())]);
        pty.pump(5000);
        pty.send(b"5", 2000);
        pty.send(b"q", 500);
        plain(&pty.finish(5))
    };
    let with = rules_pane(&format!("--app-only-certificate '{}'", cert.display()));
    assert!(
        with.contains("\"Sync Settings\"") && with.contains("a.example.finance@protonmail.example"),
        "{with}"
    );
    let without = rules_pane("");
    assert!(!without.contains("protonmail.example"), "{without}");
    assert!(without.contains("MailboxSettings.Read"), "{without}");
}
