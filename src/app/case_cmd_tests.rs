//! Tests of the case-file commands in `App::update`: each emits exactly one `Command::Case`
//! with the right data; the preview overlay opens, scrolls and closes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::{App, Msg};
use crate::analysis::testkit::{baseline_nl, evidence, located, ok, tm, window};
use crate::case::{Cell, ExportFormat};
use crate::overlay::Overlay;
use crate::protocol::{Command, PaneId, WorkerEvent};
use crate::ui::theme::Theme;
use crate::worker::case_io::{CaseCommand, CaseEvent};

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// Alice with baseline sign-ins and an impossible-travel pair loaded.
fn loaded() -> App {
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(100, 30));
    let cmds = app.start(Some("alice@contoso.com"));
    let Command::LoadSuspect { req, .. } = cmds[0] else {
        panic!("expected LoadSuspect");
    };
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: Box::new(evidence().user),
    }));
    let si = cmds
        .iter()
        .find_map(|c| match c {
            Command::LoadPane { req, pane, .. } if *pane == PaneId::SignIns => Some(*req),
            _ => None,
        })
        .expect("sign-ins load");
    let mut items = baseline_nl(12);
    items.push(located(
        ok("a", tm(1, 9, 0), "192.0.2.10", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    ));
    items.push(located(
        ok("b", tm(1, 9, 41), "203.0.113.7", "NG"),
        "Lagos",
        6.45,
        3.39,
    ));
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req: si,
        page_no: 1,
        items,
        has_more: false,
    }));
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req: si }));
    app
}

fn one_case(cmds: Vec<Command>) -> CaseCommand {
    assert_eq!(cmds.len(), 1, "exactly one command: {cmds:?}");
    match cmds.into_iter().next() {
        Some(Command::Case(c)) => c,
        other => panic!("expected a case command, got {other:?}"),
    }
}

#[test]
fn evidence_carries_every_loaded_part() {
    let mut app = loaded();
    let c = one_case(app.run_command(":evidence").unwrap());
    let CaseCommand::Evidence {
        upn,
        subject_id,
        pages,
        window: w,
        ..
    } = c
    else {
        panic!("expected Evidence, got {c:?}");
    };
    assert_eq!(
        (upn.as_str(), subject_id.as_str()),
        ("alice@contoso.com", "u1")
    );
    assert_eq!(w, window());
    let signins = pages
        .iter()
        .find(|(p, _)| p == "signIns")
        .expect("sign-ins part");
    assert_eq!(signins.1["value"].as_array().map(Vec::len), Some(14));
    assert!(pages.iter().any(|(p, _)| p == "user"));
}

#[test]
fn export_takes_the_rows_as_shown_and_refuses_unknown_formats() {
    let mut app = loaded();
    app.run_command("sort time desc").unwrap();
    let c = one_case(app.run_command("export csv").unwrap());
    let CaseCommand::Export {
        view,
        format,
        table,
        upn,
    } = c
    else {
        panic!("expected Export");
    };
    assert_eq!(
        (view.as_str(), format, upn.as_str()),
        ("sign-ins", ExportFormat::Csv, "alice@contoso.com")
    );
    assert_eq!(table.columns[0], "time");
    assert_eq!(table.rows.len(), app.visible_len(PaneId::SignIns));
    let times: Vec<_> = table
        .rows
        .iter()
        .map(|r| match r[0] {
            Cell::Time(t) => t,
            ref other => panic!("time cell expected, got {other:?}"),
        })
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "sorted newest first"
    );

    app.run_command("filter country = NG").unwrap();
    let c = one_case(app.run_command("export jsonl").unwrap());
    let CaseCommand::Export { table, format, .. } = c else {
        panic!("expected Export");
    };
    assert_eq!(format, ExportFormat::Jsonl);
    assert_eq!(table.rows.len(), 1, "only the filtered row");

    let err = app.run_command("export xls").unwrap_err();
    assert!(
        err.contains("xls") && err.contains("csv") && err.contains("jsonl"),
        "{err}"
    );

    app.focus = PaneId::Indicators;
    let c = one_case(app.run_command("export csv").unwrap());
    let CaseCommand::Export { table, view, .. } = c else {
        panic!("expected Export");
    };
    assert_eq!(view, "indicators");
    assert!(!table.rows.is_empty(), "the travel finding is exported");
}

#[test]
fn report_uses_the_consoles_analysis_and_preview_scrolls() {
    let mut app = loaded();
    let shown = app.panes.inv.analysis.clone().expect("analysis");
    assert!(!shown.findings.is_empty());
    let c = one_case(app.run_command("report").unwrap());
    let CaseCommand::Report { upn, report } = c else {
        panic!("expected Report");
    };
    assert_eq!(upn, "alice@contoso.com");
    assert_eq!(report.findings.len(), shown.findings.len());

    assert!(app.update(key(KeyCode::Char('w'))).is_empty());
    let Some(Overlay::ReportPreview(v)) = app.overlays.last() else {
        panic!("preview expected, got {:?}", app.overlays.last());
    };
    assert!(v.lines.iter().any(|l| l.contains("alice@contoso.com")));
    app.update(key(KeyCode::Char('j')));
    assert!(matches!(app.overlays.last(), Some(Overlay::ReportPreview(v)) if v.scroll == 1));
    app.update(key(KeyCode::Esc));
    assert!(app.overlays.is_empty());
    assert!(app.run_command("report preview").unwrap().is_empty());
    assert!(matches!(
        app.overlays.last(),
        Some(Overlay::ReportPreview(_))
    ));
}

#[test]
fn without_a_suspect_commands_explain_and_answers_show_the_folder() {
    let mut app = App::new(window(), Theme::plain());
    for line in ["evidence", "export csv", "report"] {
        let err = app.run_command(line).unwrap_err();
        assert!(err.contains("no suspect"), "{line}: {err}");
    }
    app.update(Msg::Worker(WorkerEvent::Case(CaseEvent::Done {
        case_dir: "/cases/2026-11-20-alice".into(),
        message: "evidence saved to /cases/2026-11-20-alice/evidence/x".into(),
    })));
    assert_eq!(
        app.case.folder.as_deref(),
        Some(std::path::Path::new("/cases/2026-11-20-alice"))
    );
    assert!(
        app.find
            .message
            .as_deref()
            .is_some_and(|m| m.contains("evidence saved"))
    );
}
