//! The simulator and its identity provider seen from outside, for the end-to-end sign-in
//! tests: `entra-triage simulate` on a free port (killed on drop), the command line pointed at
//! it exactly as at Microsoft (`--graph-url`, `--authority-url`, tenant, client id), a
//! device-code `login` without a terminal approved on the simulator's verification page, and
//! the form POST that approves or declines a code.
#![allow(dead_code)] // each test file uses the part it needs

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_entra-triage");
/// The app registration the simulator's identity provider accepts.
pub const CLIENT_ID: &str = "4b8f2e1a-6c3d-4e5f-8a9b-0c1d2e3f4a5b";
/// The demo tenant's id.
pub const TENANT: &str = "b3c5e2a1-7f4d-4e8a-9c61-2d0f5a8e7b14";

/// `simulate` on a free port; killed when dropped.
pub struct Sim {
    child: Child,
    /// `graph: URL` as the simulator printed it (the identity provider is beside it).
    pub graph: String,
    /// Kept open: the simulator's stdout must not become a broken pipe.
    _stdout: std::io::Lines<BufReader<ChildStdout>>,
}

impl Sim {
    /// Starts `entra-triage simulate --listen 127.0.0.1:0 EXTRA…` with `data` as data dir.
    pub fn start<S: AsRef<OsStr>>(data: &Path, extra: &[S]) -> Sim {
        let mut child = Command::new(BIN)
            .args(["simulate", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env("ENTRA_TRIAGE_DATA_DIR", data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let graph = first.strip_prefix("graph: ").unwrap().to_owned();
        Sim {
            child,
            graph,
            _stdout: lines,
        }
    }

    /// `entra-triage ARGS…` pointed at this simulator, with nothing from the environment that
    /// could sign in another way (no token, no client secret, no config file).
    pub fn command(&self, data: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .args(["--graph-url", &self.graph, "--authority-url", &self.graph])
            .args(["--tenant", TENANT, "--client-id", CLIENT_ID])
            .env("ENTRA_TRIAGE_DATA_DIR", data)
            .env_remove("ENTRA_TRIAGE_TOKEN")
            .env_remove("ENTRA_TRIAGE_CLIENT_SECRET")
            .env_remove("ENTRA_TRIAGE_CONFIG")
            .stdin(Stdio::null());
        c
    }

    /// `entra-triage login` without a terminal, approved at the verification page it names.
    /// Returns that page's URI.
    pub fn login(&self, data: &Path) -> String {
        let mut child = self
            .command(data, &["login"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let (mut uri, mut code, mut text) = (None, None, String::new());
        let started = Instant::now();
        while (uri.is_none() || code.is_none()) && started.elapsed() < Duration::from_secs(20) {
            let mut line = String::new();
            if err.read_line(&mut line).unwrap() == 0 {
                break;
            }
            text.push_str(&line);
            uri = uri.or_else(|| {
                line.split_whitespace()
                    .find(|w| w.starts_with("http://"))
                    .map(|w| w.trim_end_matches(['.', ',']).to_owned())
            });
            if let Some(i) = line.find("enter the code ") {
                code = line[i + 15..].split_whitespace().next().map(str::to_owned);
            }
        }
        let (uri, code) = (uri.expect(&text), code.expect(&text));
        let answer = post_form(&uri, &format!("code={code}&action=approve"));
        assert!(answer.contains("200"), "{answer}");
        let mut rest = String::new();
        let status = child.wait().unwrap();
        err.read_to_string(&mut rest).unwrap();
        assert!(status.success(), "login failed: {text}{rest}");
        uri
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs a form to `url` (plain HTTP on loopback); the whole raw answer.
pub fn post_form(url: &str, body: &str) -> String {
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
