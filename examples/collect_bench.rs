//! Collection at the limit: starts the simulator with Microsoft's throttling, 100 ms latency
//! and ~9,000 generated sign-ins for alice (about ten pages), runs the headless collection
//! over 30 days and prints the measured time, the lower bound those limits and that latency
//! allow (computed from the simulator's request log), the ratio and the number of 429s.
//! Run: `cargo run --release --example collect_bench` (docs/performance.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use entra_triage::graph::{ClientConfig, GraphClient, StaticToken};
use entra_triage::sim::{self, SimOptions, ThrottleMode};
use entra_triage::window::Window;

const LATENCY_MS: u64 = 100;
const SCALE: usize = 9_000;

/// Published limits the simulator enforces (src/sim/throttle.rs).
const REPORTS_PER_10S: usize = 5;
const IDENTITY_PROTECTION_PER_S: usize = 1;

#[derive(Default, Debug)]
struct Counts {
    reports: usize,
    identity_protection: usize,
    other: usize,
    throttled: usize,
    total: usize,
}

fn count(log: &str) -> Counts {
    let mut c = Counts::default();
    for line in log.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let path = v["path"].as_str().unwrap_or("").to_ascii_lowercase();
        let status = v["status"].as_u64().unwrap_or(0);
        c.total += 1;
        if status == 429 {
            c.throttled += 1;
            continue;
        }
        let rest = path.split_once('/').map_or("", |x| x.1);
        let rest = rest.split_once('/').map_or("", |x| x.1);
        if rest.starts_with("auditlogs") {
            c.reports += 1;
        } else if rest.starts_with("identityprotection") {
            c.identity_protection += 1;
        } else {
            c.other += 1;
        }
    }
    c
}

/// The least time `k` admitted requests need under "`per` requests per `window`", answered
/// after `latency` each: the k-th can start only after ⌊(k−1)/per⌋ full windows.
fn class_bound(k: usize, per: usize, window: Duration, latency: Duration) -> Duration {
    if k == 0 {
        return Duration::ZERO;
    }
    window * u32::try_from((k - 1) / per).unwrap_or(u32::MAX) + latency
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let log_path = dir.path().join("requests.jsonl");
    let opts = SimOptions {
        scale: SCALE,
        scale_user: Some("alice@contoso.com".into()),
        latency_ms: LATENCY_MS,
        throttle: ThrottleMode::Microsoft,
        request_log: Some(log_path.clone()),
        ..SimOptions::demo()
    };
    let h = sim::start(opts).await?;
    let cfg = ClientConfig {
        graph_url: h.graph_url.clone(),
        ..ClientConfig::default()
    };
    let client = GraphClient::new(cfg, Arc::new(StaticToken::new(h.token.clone())))?;
    let window = Window::last_days(30, chrono::Utc::now())?;
    let started = Instant::now();
    let (evidence, _) =
        entra_triage::collect::collect(&client, "alice@contoso.com", window, &|_| {}).await?;
    let took = started.elapsed();
    h.shutdown().await;

    let log = std::fs::read_to_string(&log_path)?;
    if std::env::var_os("COLLECT_BENCH_LOG").is_some() {
        eprintln!("{log}");
    }
    let c = count(&log);
    let latency = Duration::from_millis(LATENCY_MS);
    // The user lookup comes first; everything else may run concurrently after it.
    let reports = class_bound(c.reports, REPORTS_PER_10S, Duration::from_secs(10), latency);
    let ip = class_bound(
        c.identity_protection,
        IDENTITY_PROTECTION_PER_S,
        Duration::from_secs(1),
        latency,
    );
    let bound = latency + reports.max(ip).max(latency);
    println!(
        "collected {} sign-ins + {} non-interactive, {} gaps",
        evidence.sign_ins.len(),
        evidence.non_interactive.len(),
        evidence.gaps.len()
    );
    println!(
        "requests: {} total, {} reports, {} identity protection, {} other, {} answered 429",
        c.total, c.reports, c.identity_protection, c.other, c.throttled
    );
    println!(
        "measured {:.2} s, lower bound {:.2} s (reports {:.2} s, identity protection {:.2} s, \
         latency {} ms), ratio {:.2}",
        took.as_secs_f64(),
        bound.as_secs_f64(),
        reports.as_secs_f64(),
        ip.as_secs_f64(),
        LATENCY_MS,
        took.as_secs_f64() / bound.as_secs_f64()
    );
    Ok(())
}
