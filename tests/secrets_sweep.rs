//! Secrets sweep (issue #8 §5): tokens, refresh tokens, passwords, Temporary Access Passes and
//! private keys appear nowhere they could be read later.
//!
//! - Every `.snap` file of the repository (126 when written: `src/**/snapshots`,
//!   `tests/snapshots`; the test insists on at least 100) is swept for 5 secret shapes — JWTs
//!   (`eyJ….eyJ…`), the simulator's start-up token (`sim.` + 32 hex), its refresh tokens
//!   (`0.SIM…`), its generated passwords (`SimPwd-…`) and TAPs (`SimTAP-…`) — for the 6 fixed
//!   secrets the tests hand to the code, and for the 49 base64 lines of the 2 test private keys.
//!   The one-time secret dialog's snapshot may show its own fake secret: that is its purpose.
//! - The real binary, in a pseudo-terminal, against the simulated tenant: containment resets the
//!   suspect's password and issues a TAP (both revealed in the one-time dialog), writes the
//!   report (Markdown and JSON) and a JSONL export, issues a second TAP and — with that TAP on
//!   screen and the access token held — crashes (debug-only hook `ENTRA_TRIAGE_TEST_PANIC_FILE`).
//!   The panic output, the log file and every file of the case folder (13 files when written:
//!   journal, evidence snapshot and manifest, before-images, reports, export) are swept for the
//!   4 secrets of the session (token, password, two TAPs) and the 5 shapes; the screen never
//!   showed the token.
//! - The revealed secret's buffer is freed when its dialog closes (after a clipboard copy), and
//!   is all zero when freed: observed by this test binary's global allocator.

#[path = "support/pty.rs"]
mod pty;

use pty::plain;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_entra-triage");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

// ---------------------------------------------------------------------------------------------
// What a secret looks like.

/// The fixed secrets tests hand to the code (they must never be rendered into a snapshot).
const TEST_SECRETS: &[&str] = &[
    "s3cr3t-value",
    "access-SECRET-1",
    "refresh-SECRET-2",
    "eyJ0eXAiOi.secret-token",
    "Sup3r-Secret!",
    "opaque-token",
];
/// The one-time dialog's own fixture secret, allowed only in that dialog's snapshots.
const DIALOG_FIXTURE: (&str, &str) = ("FAKE-Secret-0000", "contain__secret_");

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Secret-shaped substrings of `text`, with what they look like.
fn shapes(text: &str) -> Vec<(&'static str, String)> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let run = |from: usize, ok: fn(u8) -> bool| {
        b[from..]
            .iter()
            .position(|c| !ok(*c))
            .map_or(b.len(), |n| from + n)
    };
    for (i, _) in text.match_indices("eyJ") {
        let end = run(i + 3, is_b64url);
        if end + 4 <= b.len() && &b[end..end + 4] == b".eyJ" {
            found.push(("JWT", text[i..(end + 24).min(b.len())].to_string()));
        }
    }
    for (i, _) in text.match_indices("sim.") {
        let end = run(i + 4, |c| c.is_ascii_hexdigit());
        if end - (i + 4) == 32 {
            found.push(("simulator token", text[i..end].to_string()));
        }
    }
    for (i, _) in text.match_indices("0.SIM") {
        if run(i + 5, is_b64url) - (i + 5) >= 32 {
            found.push(("refresh token", text[i..i + 20].to_string()));
        }
    }
    for (marker, what) in [
        (entra_triage::sim::SIM_PASSWORD_MARKER, "generated password"),
        (entra_triage::sim::SIM_TAP_MARKER, "Temporary Access Pass"),
    ] {
        if let Some(i) = text.find(marker) {
            found.push((what, text[i..(i + 16).min(text.len())].to_string()));
        }
    }
    found
}

/// The base64 lines of the test private keys (tests/fixtures/app-cert).
fn key_lines() -> Vec<String> {
    let dir = Path::new(ROOT).join("tests/fixtures/app-cert");
    ["test-only-app.pem", "test-only-wrong-key.pkcs1.pem"]
        .iter()
        .flat_map(|f| {
            let pem = std::fs::read_to_string(dir.join(f)).unwrap();
            let key = pem.split("-----END").next().unwrap().to_owned();
            key.lines()
                .filter(|l| !l.starts_with("-----") && l.len() >= 60)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() {
            if name != "target" && name != ".git" {
                files_under(&p, keep, out);
            }
        } else if keep(&p) {
            out.push(p);
        }
    }
}

#[test]
fn the_sweep_recognises_every_shape() {
    let jwt = entra_triage::auth::claims::unsigned_jwt(&serde_json::json!({"scp": "x"}), "s");
    let planted = format!(
        "a {jwt} b sim.{} c 0.SIM{} d SimPwd-abc!12 e SimTAP-x#2",
        "0a".repeat(16),
        "Q".repeat(64)
    );
    let kinds: Vec<&str> = shapes(&planted).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        kinds,
        [
            "JWT",
            "simulator token",
            "refresh token",
            "generated password",
            "Temporary Access Pass"
        ]
    );
    assert!(shapes("eyJhbGciOi only one part, sim.123, 0.SIMshort").is_empty());
    assert!(key_lines().len() >= 40, "two 2048-bit keys");
}

#[test]
fn no_snapshot_holds_a_secret() {
    let mut snaps = Vec::new();
    let is_snap = |p: &Path| {
        let n = p.to_string_lossy();
        n.ends_with(".snap") || n.ends_with(".snap.new")
    };
    files_under(Path::new(ROOT), &is_snap, &mut snaps);
    assert!(snaps.len() >= 100, "only {} snapshots found", snaps.len());
    let keys = key_lines();
    let mut problems = Vec::new();
    for snap in &snaps {
        let text = std::fs::read_to_string(snap).unwrap();
        let name = snap.file_name().unwrap().to_string_lossy().into_owned();
        for (what, sample) in shapes(&text) {
            problems.push(format!("{}: {what} ({sample}…)", snap.display()));
        }
        for s in TEST_SECRETS {
            if text.contains(s) {
                problems.push(format!("{}: the test secret {s:?}", snap.display()));
            }
        }
        if text.contains(DIALOG_FIXTURE.0) && !name.contains(DIALOG_FIXTURE.1) {
            problems.push(format!("{}: the dialog's fake secret", snap.display()));
        }
        if keys.iter().any(|k| text.contains(k.as_str())) {
            problems.push(format!("{}: a line of a private key", snap.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "secrets in snapshots:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The real binary: reveal a password and a TAP, write a report and an export, crash.

/// The secret starting with `marker` on screen, whole (what the dialog shows).
fn revealed(screen: &str, marker: &str) -> Option<String> {
    let i = screen.rfind(marker)?;
    let s: String = screen[i..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '│')
        .collect();
    (s.len() > marker.len() + 4).then_some(s)
}

#[test]
fn a_crash_with_secrets_on_screen_leaks_them_nowhere() {
    use entra_triage::sim::{self, SimOptions, ThrottleMode};
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
    let data = tempfile::tempdir().unwrap();
    let trigger = data.path().join("panic-now");
    let cmd = format!(
        "exec '{BIN}' alice@contoso.com --contain --graph-url '{}' 2>&1",
        sim.graph_url
    );
    let data_dir = data.path().to_string_lossy().into_owned();
    let trigger_s = trigger.to_string_lossy().into_owned();
    let mut pty = pty::Pty::start(
        &cmd,
        &[
            ("ENTRA_TRIAGE_TOKEN", sim.token.as_str()),
            ("ENTRA_TRIAGE_DATA_DIR", data_dir.as_str()),
            ("ENTRA_TRIAGE_TEST_PANIC_FILE", trigger_s.as_str()),
            ("RUST_BACKTRACE", "1"),
        ],
    );
    pty.pump(5000);
    // Playbook → step 3 (reset password) → the grave dialog asks for the UPN → Confirm.
    for k in [&b"P"[..], b"j", b"j", b"\r"] {
        pty.send(k, 600);
    }
    pty.send(b"alice@contoso.com", 300);
    pty.send(b"\t", 300);
    pty.send(b"\r", 4000);
    let screen = plain(&pty.output());
    let password = revealed(&screen, sim::SIM_PASSWORD_MARKER)
        .unwrap_or_else(|| panic!("no password revealed:\n{}", tail(&screen)));
    // Close the dialog (wiped), then step 4: the TAP.
    pty.send(b"\x1b", 600);
    for k in [&b"j"[..], b"\r", b"\t", b"\r"] {
        pty.send(k, 600);
    }
    pty.pump(3000);
    let screen = plain(&pty.output());
    let tap = revealed(&screen, sim::SIM_TAP_MARKER)
        .unwrap_or_else(|| panic!("no TAP revealed:\n{}", tail(&screen)));
    // Close it, close the playbook, write the report and an export; reopen the playbook (on
    // step 4) and issue a second TAP, left on screen.
    for k in [
        &b"\x1b"[..],
        b"\x1b",
        b":report\r",
        b":export jsonl\r",
        b"P",
    ] {
        pty.send(k, 1500);
    }
    for k in [&b"\r"[..], b"\t", b"\r"] {
        pty.send(k, 600);
    }
    pty.pump(3000);
    let screen = plain(&pty.output());
    let second_tap = revealed(&screen, sim::SIM_TAP_MARKER)
        .filter(|t| *t != tap)
        .unwrap_or_else(|| panic!("no second TAP revealed:\n{}", tail(&screen)));
    let before = pty.output().len();
    // With the TAP on screen and the token held: crash.
    std::fs::write(&trigger, b"").unwrap();
    pty.pump(2000);
    let all = pty.finish(5);
    let crash = plain(&all[before..]);
    assert!(
        crash.contains("injected panic"),
        "no panic output:\n{crash}"
    );

    let secrets = [
        ("access token", sim.token.as_str()),
        ("password", password.as_str()),
        ("first TAP", tap.as_str()),
        ("second TAP (on screen at the crash)", second_tap.as_str()),
    ];
    let mut problems = Vec::new();
    let mut sweep = |name: &str, text: &str| {
        for (what, value) in secrets {
            if text.contains(value) {
                problems.push(format!("{name}: the {what}"));
            }
        }
        for (what, sample) in shapes(text) {
            problems.push(format!("{name}: {what} ({sample}…)"));
        }
    };
    sweep("panic output", &crash);
    let mut files = Vec::new();
    files_under(data.path(), &|_| true, &mut files);
    let case_files = files
        .iter()
        .filter(|p| p.starts_with(data.path().join("cases")))
        .count();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.strip_prefix(data.path()).unwrap().display().to_string())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("journal.jsonl")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("logs")), "{names:?}");
    for part in ["/report-", ".md", "/exports/", "/evidence/", "/before/"] {
        assert!(
            names.iter().any(|n| n.contains(part)),
            "no {part}: {names:?}"
        );
    }
    assert!(case_files >= 10, "{names:?}");
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        sweep(&f.display().to_string(), &text);
    }
    // Nothing the console drew during the whole session showed the token.
    if plain(&all).contains(&sim.token) {
        problems.push("the screen: the access token".into());
    }
    assert!(
        problems.is_empty(),
        "secrets leaked:\n{}",
        problems.join("\n")
    );
    rt.block_on(sim.shutdown());
}

fn tail(s: &str) -> String {
    s.chars()
        .rev()
        .take(6000)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The revealed secret's buffer: wiped, then freed, when its dialog closes.

/// Watches one allocation: 0 not freed yet, 1 freed all zero, 2 freed with content left.
static WATCHED: AtomicUsize = AtomicUsize::new(0);
static FREED: AtomicU8 = AtomicU8::new(0);

struct Watch;

// SAFETY: every call is forwarded to the system allocator unchanged; `dealloc` only reads the
// block it is about to free (still owned by the caller for the duration of the call).
unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize == WATCHED.load(Ordering::SeqCst) {
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let state = if block.iter().all(|b| *b == 0) { 1 } else { 2 };
            FREED.store(state, Ordering::SeqCst);
            WATCHED.store(0, Ordering::SeqCst);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Watch = Watch;

fn key(c: crossterm::event::KeyCode) -> entra_triage::app::Msg {
    use crossterm::event::{KeyEvent, KeyModifiers};
    entra_triage::app::Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn screen_of(app: &entra_triage::app::App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 36)).unwrap();
    t.draw(|f| entra_triage::ui::render(app, f)).unwrap();
    format!("{}", t.backend())
}

/// The console's TAP dialog, driven as the analyst would (playbook → step 4 → confirm), with the
/// worker's answer carrying the secret; `c` copies it (the runtime takes the copy), Esc closes
/// the dialog: the secret's buffer must then be freed, and all zero when freed.
#[test]
fn the_revealed_secrets_buffer_is_wiped_when_its_dialog_closes() {
    use chrono::TimeZone as _;
    use crossterm::event::KeyCode;
    use entra_triage::app::{App, Msg};
    use entra_triage::contain::secret::SecretKind;
    use entra_triage::contain::task::{ContainCommand, ContainEvent};
    use entra_triage::contain::{ActionReport, DangerousAction, Outcome, Secret};
    use entra_triage::protocol::{Command, WorkerEvent};

    let window = entra_triage::window::Window {
        start: chrono::Utc
            .with_ymd_and_hms(2026, 11, 13, 12, 0, 0)
            .unwrap(),
        end: chrono::Utc
            .with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
            .unwrap(),
    };
    let mut app = App::new(window, entra_triage::ui::theme::Theme::plain());
    app.update(Msg::Resize(120, 36));
    app.contain.set_mode(true, false);
    let cmds = app.start(Some("alice@contoso.com"));
    let Some(Command::LoadSuspect { req, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let user = serde_json::from_value(serde_json::json!({
        "id": "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e", "displayName": "Alice Example",
        "userPrincipalName": "alice@contoso.com", "accountEnabled": true
    }))
    .unwrap();
    app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req: *req,
        user: Box::new(user),
    }));
    // Playbook, step 4 (Issue Temporary Access Pass), Enter → the dialog, Tab → Confirm, Enter.
    let mut sent = Vec::new();
    for c in [
        KeyCode::Char('P'),
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::Enter,
    ] {
        sent.extend(app.update(key(c)));
    }
    let req = sent
        .iter()
        .find_map(|c| match c {
            Command::Contain(ContainCommand::Mutate { req, .. }) => Some(*req),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no change was confirmed: {sent:?}\n{}", screen_of(&app)));

    let value = String::from("SimTAP-wipe-me-0001");
    let secret = Secret::new(SecretKind::TemporaryAccessPass, value);
    WATCHED.store(secret.expose().as_ptr() as usize, Ordering::SeqCst);
    app.update(Msg::Worker(WorkerEvent::Contain(ContainEvent::Action {
        req,
        index: 0,
        report: Box::new(ActionReport {
            action: DangerousAction::IssueTap {
                lifetime_minutes: 60,
                usable_once: true,
            },
            request: "POST /v1.0/users/3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e/authentication/temporaryAccessPassMethods".into(),
            body: None,
            outcome: Outcome::Verified("the Temporary Access Pass is registered".into()),
        }),
        secret: Some(secret),
    })));
    assert!(
        screen_of(&app).contains("SimTAP-wipe-me-0001"),
        "{}",
        screen_of(&app)
    );
    app.update(key(KeyCode::Char('c')));
    drop(app.take_clipboard()); // what the runtime does after writing the OSC 52 sequence
    assert_eq!(
        FREED.load(Ordering::SeqCst),
        0,
        "freed while still on screen"
    );
    app.update(key(KeyCode::Esc));
    let shown = screen_of(&app);
    assert!(!shown.contains("SimTAP-wipe-me"), "{shown}");
    assert!(!format!("{app:?}").contains("SimTAP-wipe-me"));
    assert_eq!(
        FREED.load(Ordering::SeqCst),
        1,
        "closing the dialog must free the secret's buffer, wiped (2 = freed with content left, 0 = still alive)"
    );
}
