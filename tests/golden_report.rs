//! The golden incident report of the demo scenario: the simulator with its clock pinned to the
//! scenario's anchor, the real client and collection, the shared analysis, and the Markdown a
//! manager reads. A change in any finding, its wording or its evidence shows up here.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entra_triage::graph::{ClientConfig, GraphClient, StaticToken};
use entra_triage::sim::{self, SimOptions, ThrottleMode};
use entra_triage::window::Window;
use entra_triage::{analysis, collect, report};

#[test]
fn demo_scenario_report() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let anchor: DateTime<Utc> = "2026-11-20T12:00:00Z".parse().unwrap();
        let opts = SimOptions {
            rebase_to: Some(anchor),
            throttle: ThrottleMode::Off,
            ..SimOptions::demo()
        };
        let h = sim::start(opts).await.unwrap();
        let client = GraphClient::new(
            ClientConfig {
                graph_url: h.graph_url.clone(),
                pacing: false,
                ..ClientConfig::default()
            },
            Arc::new(StaticToken::new(h.token.clone())),
        )
        .unwrap();
        let window = Window::last_days(7, anchor).unwrap();
        let (ev, _) = collect::collect(&client, "alice@contoso.com", window, &|_| {})
            .await
            .unwrap();
        assert!(ev.gaps.is_empty(), "{:?}", ev.gaps);
        let an = analysis::analyse(&ev, &analysis::Thresholds::default());
        let meta = report::ReportMeta {
            generated_at: anchor,
            analyst: Some("analyst@contoso.com".into()),
            tenant: Some("Contoso Ltd (b3c5e2a1-7f4d-4e8a-9c61-2d0f5a8e7b14)".into()),
            tool_version: "golden".into(),
            actions: Vec::new(),
        };
        let rep = report::build(&ev, &an, &meta);
        insta::assert_snapshot!("demo_report_md", report::to_markdown(&rep));
        let json: serde_json::Value = serde_json::from_str(&report::to_json(&rep)).unwrap();
        let findings: Vec<String> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {} — {}", f["severity"], f["indicator"], f["summary"]))
            .collect();
        insta::assert_snapshot!("demo_report_findings", findings.join("\n"));
        h.shutdown().await;
    });
}
