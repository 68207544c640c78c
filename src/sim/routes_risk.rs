//! Identity Protection reads: `/identityProtection/riskyUsers` (+`/{id}`, `/{id}/history`)
//! need P2; `/identityProtection/riskDetections` needs P1 or P2.

use axum::http::StatusCode;
use serde_json::Value;

use super::errors::{Answer, GraphError};
use super::routes::{Ctx, entity, list_values};
use super::state::lock;
use super::tenant::find_by_id;

fn not_found(what: &str) -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!("The requested resource '{what}' was not found."),
    )
}

pub fn risky_users(ctx: &Ctx<'_>, rest: &[&str]) -> Answer {
    let data = lock(&ctx.state.data);
    let t = &data.tenant;
    if !t.licences().1 {
        return Err(GraphError::not_p2());
    }
    let ctx_name = "identityProtection/riskyUsers";
    match rest {
        [] => list_values(ctx, &t.risky_users, ctx_name, (20, 500), None, |_| true),
        [id] => match find_by_id(&t.risky_users, id) {
            Some(u) => entity(ctx, u, ctx_name, None),
            None => Err(not_found(id)),
        },
        [id, h, more @ ..] if h.eq_ignore_ascii_case("history") => {
            if find_by_id(&t.risky_users, id).is_none() {
                return Err(not_found(id));
            }
            let mine = |v: &Value| {
                v.get("userId")
                    .and_then(Value::as_str)
                    .is_some_and(|u| u.eq_ignore_ascii_case(id))
            };
            let hist_ctx = format!("{ctx_name}('{id}')/history");
            match more {
                [] => list_values(
                    ctx,
                    &t.risky_user_history,
                    &hist_ctx,
                    (100, 500),
                    None,
                    mine,
                ),
                [hid] => match t
                    .risky_user_history
                    .iter()
                    .find(|v| mine(v) && super::tenant::id_is(v, hid))
                {
                    Some(h) => entity(ctx, h, &hist_ctx, None),
                    None => Err(not_found(hid)),
                },
                [.., last] => Err(GraphError::no_segment(last)),
            }
        }
        [.., last] => Err(GraphError::no_segment(last)),
    }
}

pub fn risk_detections(ctx: &Ctx<'_>, rest: &[&str]) -> Answer {
    let data = lock(&ctx.state.data);
    let t = &data.tenant;
    if !t.licences().0 {
        return Err(GraphError::not_premium());
    }
    let ctx_name = "identityProtection/riskDetections";
    match rest {
        [] => list_values(ctx, &t.risk_detections, ctx_name, (20, 500), None, |_| true),
        [id] => match find_by_id(&t.risk_detections, id) {
            Some(d) => entity(ctx, d, ctx_name, None),
            None => Err(not_found(id)),
        },
        [.., last] => Err(GraphError::no_segment(last)),
    }
}
