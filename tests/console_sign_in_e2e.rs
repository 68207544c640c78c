//! The console signs in by itself, end to end: the real binary in a pseudo-terminal, started
//! with no cached sign-in against `simulate` (its v2.0 device-code endpoints beside Graph).
//! Nothing is printed before the screen is taken; the sign-in screen shows the code; the test
//! approves it at the simulator's verification page, as a person would in a browser; the
//! console then looks up the suspect and shows the timeline — and no token reaches the screen.
//! And when the cached sign-in can no longer be renewed, the console asks again over its
//! screen and carries on once the new code is approved.

#[path = "support/pty.rs"]
mod pty;

#[path = "support/idp.rs"]
mod idp;

use std::time::{Duration, Instant};

use idp::{BIN, CLIENT_ID, Sim, TENANT, post_form};

/// The user code in `code HMQ7KX2PW ·` of the sign-in screen.
fn user_code(screen: &str) -> Option<String> {
    screen.match_indices("code ").find_map(|(i, _)| {
        let rest = &screen[i + 5..];
        let code: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        (code.len() >= 6 && rest[code.len()..].starts_with(" ·")).then_some(code)
    })
}

#[test]
fn unsigned_console_shows_the_code_and_opens_the_suspect_once_approved() {
    let data = tempfile::tempdir().unwrap();
    let sim = Sim::start(data.path(), &[] as &[&str]);
    let graph = sim.graph.clone();
    let data_dir = data.path().to_string_lossy().into_owned();
    let cmd = format!(
        "unset ENTRA_TRIAGE_TOKEN; exec '{BIN}' alice@contoso.com --graph-url '{graph}' \
         --authority-url '{graph}' --tenant {TENANT} --client-id {CLIENT_ID}"
    );
    let mut console = pty::Pty::start(&cmd, &[("ENTRA_TRIAGE_DATA_DIR", data_dir.as_str())]);

    // The sign-in screen, with the code, inside the console.
    let started = Instant::now();
    let mut code = None;
    while code.is_none() && started.elapsed() < Duration::from_secs(30) {
        console.pump(300);
        code = user_code(&console.screen());
    }
    let screen = console.screen();
    let code = code.unwrap_or_else(|| panic!("no code on the sign-in screen: {screen}"));
    assert!(screen.contains("Sign in (device code)"), "{screen}");
    assert!(screen.contains(&format!("{graph}/devicelogin")), "{screen}");
    let before_screen = screen.split("\x1b[?1049h").next().unwrap_or_default();
    assert!(
        !before_screen.contains(&code),
        "the code was printed before the console took the screen"
    );

    assert!(
        !screen.contains("Alice Example"),
        "nothing is read before the sign-in"
    );

    // Approved at the verification page, the way a person would.
    let answer = post_form(
        &format!("{graph}/devicelogin"),
        &format!("code={code}&action=approve"),
    );
    assert!(answer.contains("200"), "{answer}");

    // The console proceeds to the suspect: the timeline appears.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        console.pump(300);
        let s = console.screen();
        if s.contains("Alice Example") && s.contains("Indicators") {
            break;
        }
    }
    console.send(b"7", 1500);
    let screen = console.screen();
    assert!(screen.contains("Alice Example"), "{screen}");
    assert!(screen.contains("Timeline"), "{screen}");
    // The title names the signed-in analyst (§5).
    assert!(screen.contains("analyst@contoso.com"), "{screen}");
    console.send(b"q", 500);
    let all = String::from_utf8_lossy(&console.finish(5)).into_owned();

    // Cached, and no token on screen or in the log.
    let cache = std::fs::read_dir(data.path().join("tokens"))
        .unwrap()
        .next()
        .expect("the sign-in was cached")
        .unwrap()
        .path();
    let cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    for secret in ["access_token", "refresh_token"] {
        let s = cached[secret].as_str().unwrap_or_default();
        assert!(s.len() > 8, "{secret} cached");
        assert!(!all.contains(s), "{secret} reached the screen");
        let logs = std::fs::read_to_string(data.path().join("logs").join("entra-triage.log"))
            .unwrap_or_default();
        assert!(!logs.contains(s), "{secret} reached the log");
    }
    drop(sim);
}

#[test]
fn a_sign_in_that_cannot_be_renewed_is_asked_again_over_the_screen() {
    let data = tempfile::tempdir().unwrap();
    let sim = Sim::start(data.path(), &[] as &[&str]);
    let graph = sim.graph.clone();
    sim.login(data.path());
    // The cached access token has expired and its refresh token is no longer accepted.
    let cache = std::fs::read_dir(data.path().join("tokens"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    entry["expires_at"] = "2001-01-01T00:00:00Z".into();
    entry["refresh_token"] = "revoked-refresh-token".into();
    std::fs::write(&cache, entry.to_string()).unwrap();

    let data_dir = data.path().to_string_lossy().into_owned();
    let cmd = format!(
        "unset ENTRA_TRIAGE_TOKEN; exec '{BIN}' alice@contoso.com --graph-url '{graph}' \
         --authority-url '{graph}' --tenant {TENANT} --client-id {CLIENT_ID}"
    );
    let mut console = pty::Pty::start(&cmd, &[("ENTRA_TRIAGE_DATA_DIR", data_dir.as_str())]);
    let started = Instant::now();
    let mut code = None;
    while code.is_none() && started.elapsed() < Duration::from_secs(30) {
        console.pump(300);
        let s = console.screen();
        if s.contains("Sign in again") {
            code = user_code(&s);
        }
    }
    let screen = console.screen();
    let code = code.unwrap_or_else(|| panic!("no sign-in over the screen: {screen}"));
    assert!(screen.contains("can no longer be renewed"), "{screen}");
    assert!(!screen.contains("Alice Example"));

    let answer = post_form(
        &format!("{graph}/devicelogin"),
        &format!("code={code}&action=approve"),
    );
    assert!(answer.contains("200"), "{answer}");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) && !console.screen().contains("Alice Example")
    {
        console.pump(300);
    }
    console.pump(1000);
    let screen = console.screen();
    assert!(
        screen.contains("Alice Example"),
        "the lookup was retried: {screen}"
    );
    console.send(b"q", 500);
    console.finish(5);
    drop(sim);
}
