//! The whole sign-in path with the real binary and no Microsoft: `simulate` serves the v2.0
//! device-code and token endpoints beside Graph; `login --authority-url … --graph-url …`
//! (no terminal) prints the code on stderr and waits; the code is approved the way a person
//! would (the verification page); the token is cached owner-only; `whoami` names the analyst;
//! `report` then reads Graph with that token, and the inbox rules — which a delegated token
//! cannot read in another user's mailbox — are reported as a gap, not an error.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_entra-triage");
const CLIENT_ID: &str = "4b8f2e1a-6c3d-4e5f-8a9b-0c1d2e3f4a5b";
const TENANT: &str = "b3c5e2a1-7f4d-4e8a-9c61-2d0f5a8e7b14";

fn post_form(url: &str, body: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap();
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn device_code_login_caches_the_token_and_report_uses_it() {
    let data = tempfile::tempdir().unwrap();
    let mut sim = Command::new(BIN)
        .args(["simulate", "--listen", "127.0.0.1:0"])
        .env("ENTRA_TRIAGE_DATA_DIR", data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(sim.stdout.take().unwrap()).lines();
    let graph = lines
        .next()
        .unwrap()
        .unwrap()
        .strip_prefix("graph: ")
        .unwrap()
        .to_owned();
    let common = |c: &mut Command| {
        c.args([
            "--graph-url",
            &graph,
            "--authority-url",
            &graph,
            "--tenant",
            TENANT,
        ])
        .args(["--client-id", CLIENT_ID])
        .env("ENTRA_TRIAGE_DATA_DIR", data.path())
        .env_remove("ENTRA_TRIAGE_TOKEN");
    };

    let mut login = Command::new(BIN);
    login
        .arg("login")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    common(&mut login);
    let mut child = login.spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut text = String::new();
    let (mut uri, mut code) = (None, None);
    let started = Instant::now();
    while (uri.is_none() || code.is_none()) && started.elapsed() < Duration::from_secs(20) {
        let mut line = String::new();
        if err.read_line(&mut line).unwrap() == 0 {
            break;
        }
        text.push_str(&line);
        for w in line.split_whitespace() {
            if w.starts_with("http://") {
                uri = Some(w.trim_end_matches(['.', ',']).to_owned());
            }
        }
        if let Some(i) = line.find("enter the code ") {
            code = line[i + 15..].split_whitespace().next().map(str::to_owned);
        }
    }
    let (uri, code) = (uri.expect(&text), code.expect(&text));
    assert!(uri.starts_with(&graph), "{uri}");
    let answer = post_form(&uri, &format!("code={code}&action=approve"));
    assert!(answer.contains("200"), "{answer}");
    let status = child.wait().unwrap();
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    assert!(status.success(), "login failed: {text}{rest}");

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

    let mut who = Command::new(BIN);
    who.arg("whoami");
    common(&mut who);
    let out = who.output().unwrap();
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

    let mut rep = Command::new(BIN);
    rep.args(["report", "alice@contoso.com", "--format", "json"]);
    common(&mut rep);
    let out = rep.output().unwrap();
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
    let _ = sim.kill();
    let _ = sim.wait();
}
