//! Collection of everything about one suspect into an `Evidence` value, for the headless
//! report (the console's worker streams the same reads pane by pane). Reads run concurrently;
//! the client paces them per throttle class. A part that fails becomes a `Gap` and the rest
//! still arrives: partial data is data, marked incomplete.

use std::collections::BTreeSet;

use chrono::Duration;
use futures::StreamExt;
use futures::stream::BoxStream;

use crate::evidence::{Evidence, Gap};
use crate::graph::models::ServicePrincipal;
use crate::graph::{ApiVersion, GraphClient, GraphError, Page};
use crate::window::Window;

/// Days of history before the window used as the user's baseline (sign-in retention is 30 d).
pub const BASELINE_DAYS: i64 = 30;

/// What the raw pages looked like, kept for the evidence folder.
#[derive(Debug, Default, Clone)]
pub struct RawPages {
    /// `(part, page JSON as received)`.
    pub pages: Vec<(String, serde_json::Value)>,
}

/// Collects the suspect's evidence. Fails only when the suspect cannot be found.
pub async fn collect(
    client: &GraphClient,
    who: &str,
    window: Window,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(Evidence, RawPages), GraphError> {
    collect_with(client, None, who, window, progress).await
}

/// [`collect`], reading the suspect's mailbox (inbox rules, mail folders) through `mailbox`
/// when given — the app-only client, since delegated permissions reach only the analyst's
/// own mailbox — and everything else through `client`.
pub async fn collect_with(
    client: &GraphClient,
    mailbox: Option<&GraphClient>,
    who: &str,
    window: Window,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(Evidence, RawPages), GraphError> {
    let mailbox = mailbox.unwrap_or(client);
    progress(&format!("looking up {}", crate::sanitize::line(who)));
    let (user, user_raw) = client.user(who).await?;
    let uid = user.id.clone();
    let mut raw = RawPages::default();
    raw.pages.push(("user".into(), user_raw));
    let mut gaps = Vec::new();

    let from = window.start - Duration::days(BASELINE_DAYS);
    let (
        org,
        sign_ins,
        non_interactive,
        risky,
        history,
        detections,
        methods,
        prefs,
        grants,
        rules,
        folders,
        audits,
    ) = tokio::join!(
        client.organization(),
        drain(
            client.sign_ins(ApiVersion::V1, &uid, from, window.end, false),
            "sign-ins",
            progress
        ),
        drain(
            client.sign_ins(ApiVersion::Beta, &uid, from, window.end, true),
            "non-interactive sign-ins",
            progress
        ),
        client.risky_user(&uid),
        drain(client.risk_history(&uid), "risk history", progress),
        drain(
            client.risk_detections(&uid, from, window.end),
            "risk detections",
            progress
        ),
        client.auth_methods(&uid),
        client.sign_in_preferences(&uid),
        drain(client.grants(&uid), "grants", progress),
        drain(mailbox.message_rules(&uid), "inbox rules", progress),
        drain(mailbox.mail_folders(&uid), "mail folders", progress),
        drain(
            client.directory_audits(&uid, window.start, window.end),
            "directory audits",
            progress
        ),
    );

    let mut ev = Evidence::new(user, window);
    match org {
        Ok(o) => ev.tenant = Some(o),
        Err(e) => gaps.push(gap("organization", &e)),
    }
    ev.sign_ins = take(sign_ins, "sign-ins", &mut gaps, &mut raw);
    let beta = take(non_interactive, "beta sign-ins", &mut gaps, &mut raw);
    ev.non_interactive = crate::evidence::merge_beta(&mut ev.sign_ins, beta);
    match risky {
        Ok(r) => ev.risky_user = r,
        Err(e) => gaps.push(gap("risky user", &e)),
    }
    ev.risk_history = take(history, "risk history", &mut gaps, &mut raw);
    ev.risk_detections = take(detections, "risk detections", &mut gaps, &mut raw);
    match methods {
        Ok(p) => {
            raw.pages.push(("authentication methods".into(), p.raw));
            ev.methods = p.items;
        }
        Err(e) => gaps.push(gap("authentication methods", &e)),
    }
    ev.sign_in_preferences = prefs.ok().flatten();
    ev.grants = take(grants, "grants", &mut gaps, &mut raw);
    ev.rules = take(rules, "inbox rules", &mut gaps, &mut raw);
    ev.mail_folders = take(folders, "mail folders", &mut gaps, &mut raw);
    ev.audits = take(audits, "directory audits", &mut gaps, &mut raw);

    // Resolve every client and resource service principal the grants name, once each.
    let ids: BTreeSet<String> = ev
        .grants
        .iter()
        .flat_map(|g| [g.client_id.clone(), g.resource_id.clone()])
        .filter(|id| !id.is_empty())
        .collect();
    if !ids.is_empty() {
        progress(&format!("resolving {} applications", ids.len()));
    }
    let sps = futures::future::join_all(ids.iter().map(|id| client.service_principal(id))).await;
    for (id, sp) in ids.iter().zip(sps) {
        match sp {
            Ok(sp) => ev.service_principals.push(sp),
            Err(e) if e.is_not_found() => ev.service_principals.push(ServicePrincipal {
                id: id.clone(),
                ..ServicePrincipal::default()
            }),
            Err(e) => gaps.push(gap(&format!("service principal {id}"), &e)),
        }
    }
    ev.gaps = gaps;
    Ok((ev, raw))
}

type Drained<T> = (Vec<T>, Vec<serde_json::Value>, Option<GraphError>);

async fn drain<T>(
    mut s: BoxStream<'static, Result<Page<T>, GraphError>>,
    part: &str,
    progress: &(dyn Fn(&str) + Sync),
) -> Drained<T> {
    let mut items = Vec::new();
    let mut pages = Vec::new();
    while let Some(p) = s.next().await {
        match p {
            Ok(p) => {
                items.extend(p.items);
                pages.push(p.raw);
                if p.has_more {
                    progress(&format!(
                        "{part}: page {} · {} so far",
                        p.number,
                        items.len()
                    ));
                }
            }
            Err(e) => return (items, pages, Some(e)),
        }
    }
    (items, pages, None)
}

fn take<T>(d: Drained<T>, part: &str, gaps: &mut Vec<Gap>, raw: &mut RawPages) -> Vec<T> {
    let (items, pages, err) = d;
    raw.pages
        .extend(pages.into_iter().map(|p| (part.to_owned(), p)));
    if let Some(e) = err {
        let mut g = gap(part, &e);
        if !items.is_empty() {
            g.reason = format!("incomplete after {} items: {}", items.len(), g.reason);
        }
        gaps.push(g);
    }
    items
}

fn gap(part: &str, e: &GraphError) -> Gap {
    Gap::new(part, crate::sanitize::line(&e.to_string()))
}
