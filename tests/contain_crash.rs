//! A crash in the middle of a containment action: the real binary, in a pseudo-terminal
//! (util-linux `script`), confirms "revoke sessions" in the playbook while the simulated tenant
//! applies the change and then never answers; the process is killed with SIGKILL mid-request.
//! The case journal must hold the evidence snapshot and the intent entry written *before* the
//! request, no outcome (nothing was known), and its hash chain must verify.

#[path = "support/pty.rs"]
mod pty;

use std::process::Command;

use entra_triage::sim::{self, FaultEffect, FaultRule, SimOptions, ThrottleMode};

const BIN: &str = env!("CARGO_BIN_EXE_entra-triage");

#[test]
fn killed_mid_action_leaves_an_intent_and_a_verifiable_journal() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let sim = rt
        .block_on(sim::start(SimOptions {
            throttle: ThrottleMode::Off,
            ..SimOptions::demo()
        }))
        .unwrap();
    sim.add_fault(
        FaultRule::with_effect(
            "revokeSignInSessions",
            FaultEffect::ApplyThenStall { ms: 120_000 },
        )
        .method("POST"),
    );
    let data = tempfile::tempdir().unwrap();
    let cmd = format!(
        "exec '{BIN}' alice@contoso.com --contain --graph-url '{}'",
        sim.graph_url
    );
    let data_dir = data.path().to_string_lossy().into_owned();
    let mut pty = pty::Pty::start(
        &cmd,
        &[
            ("ENTRA_TRIAGE_TOKEN", sim.token.as_str()),
            ("ENTRA_TRIAGE_DATA_DIR", data_dir.as_str()),
        ],
    );
    pty.pump(5000);
    // Playbook → step 2 (revoke sessions) → dialog (focus on Cancel) → Confirm.
    for k in [&b"P"[..], b"j", b"\r", b"\t", b"\r"] {
        pty.send(k, 800);
    }
    pty.pump(2500);
    // The request is in flight (the tenant applied it and stalls): kill the console hard.
    let killed = Command::new("pkill")
        .args(["-9", "-f", &format!("graph-url {}", sim.graph_url)])
        .status()
        .unwrap();
    assert!(killed.success(), "the console was not running");
    pty.finish(2);

    let cases = data.path().join("cases");
    let case = std::fs::read_dir(&cases)
        .expect("a case folder")
        .filter_map(Result::ok)
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .contains("alice@contoso.com")
        })
        .expect("alice's case")
        .path();
    let journal = case.join("journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap();
    let entries: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let kinds: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or(""),
                e["action"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(kinds.contains(&("evidence", "evidence")), "{kinds:?}");
    assert!(kinds.contains(&("intent", "revoke_sessions")), "{kinds:?}");
    assert!(
        !kinds.contains(&("outcome", "revoke_sessions")),
        "an outcome nobody saw: {kinds:?}"
    );
    let v = entra_triage::case::verify(&journal).unwrap();
    assert!(v.broken.is_none(), "{:?}", v.broken);
    assert!(!text.contains(&sim.token));
    rt.block_on(sim.shutdown());
}
