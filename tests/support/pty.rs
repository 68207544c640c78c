//! The console in a pseudo-terminal for tests: util-linux `script` runs a shell command at
//! 120×36 with `TERM=xterm`; everything the program writes is collected, and its cursor-position
//! queries (`ESC [ 6 n`) are answered like a terminal would, or crossterm gives up at start.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running console and all it wrote so far.
pub struct Pty {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
    answered: usize,
}

impl Pty {
    /// Starts `shell_cmd` (e.g. `exec '/path/bin' args`) with `env` added.
    pub fn start(shell_cmd: &str, env: &[(&str, &str)]) -> Self {
        let cmd = format!("stty cols 120 rows 36; {shell_cmd}");
        let mut c = Command::new("script");
        c.args(["-q", "-e", "-c", &cmd, "/dev/null"])
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            c.env(k, v);
        }
        let mut child = c.spawn().expect("util-linux script");
        let mut stdout = child.stdout.take().unwrap();
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink = out.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            out,
            reader: Some(reader),
            answered: 0,
        }
    }

    /// Lets the program run for `ms`, answering its cursor-position queries.
    pub fn pump(&mut self, ms: u64) {
        let end = Instant::now() + Duration::from_millis(ms);
        while Instant::now() < end {
            let asked = self
                .out
                .lock()
                .unwrap()
                .windows(4)
                .filter(|w| w == b"\x1b[6n")
                .count();
            if let Some(stdin) = self.stdin.as_mut() {
                while self.answered < asked {
                    let _ = stdin.write_all(b"\x1b[1;1R");
                    self.answered += 1;
                }
                let _ = stdin.flush();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `keys`, then lets the program run for `ms`.
    pub fn send(&mut self, keys: &[u8], ms: u64) {
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = stdin.write_all(keys);
            let _ = stdin.flush();
        }
        self.pump(ms);
    }

    /// Everything the program wrote so far.
    #[allow(dead_code)] // not every test that includes this module reads the output midway
    pub fn output(&self) -> Vec<u8> {
        self.out.lock().unwrap().clone()
    }

    /// Everything the program wrote so far, as text (escape sequences included).
    #[allow(dead_code)]
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    /// Waits up to `secs` for the program to end by itself, then ends it; returns all it wrote.
    pub fn finish(mut self, secs: u64) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stdin.take();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        self.out.lock().unwrap().clone()
    }
}

/// The text of terminal output: CSI and OSC escape sequences removed (enough to read a
/// screen's words).
#[allow(dead_code)] // not every test that includes this module reads a screen
pub fn plain(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}
