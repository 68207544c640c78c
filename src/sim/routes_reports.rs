//! Identity-and-access reports: `/auditLogs/signIns` (v1.0 interactive; beta from
//! signIns.beta.json when present) and `/auditLogs/directoryAudits`, newest first.

use serde_json::Value;

use super::errors::{Answer, GraphError, Reply};
use super::query::collection;
use super::routes::{Ctx, entity, list_values};
use super::signins::Stream;
use super::state::{Data, lock};
use super::tenant::find_by_id;

fn check_orderby(ctx: &Ctx<'_>, field: &str) -> Result<(), GraphError> {
    match &ctx.query.orderby {
        None => Ok(()),
        Some(o) => {
            let o = o.trim().to_ascii_lowercase();
            if o == format!("{} desc", field.to_ascii_lowercase()) {
                Ok(())
            } else {
                Err(GraphError::unsupported(format!(
                    "Unsupported Query: $orderby={o} (only '{field} desc' is supported)."
                )))
            }
        }
    }
}

fn stream<'a>(
    ctx: &Ctx<'_>,
    data: &'a Data,
    generator: Option<&'a super::generator::Generator>,
) -> Stream<'a> {
    let file = match (&data.tenant.sign_ins_beta, ctx.beta) {
        (Some(b), true) => b.as_slice(),
        _ => data.tenant.sign_ins.as_slice(),
    };
    Stream {
        file,
        generator,
        overrides: &data.gen_overrides,
        tag_beta: ctx.beta,
    }
}

pub fn sign_ins(ctx: &Ctx<'_>) -> Answer {
    let data = lock(&ctx.state.data);
    if !data.tenant.licences().0 {
        return Err(GraphError::not_premium());
    }
    let q = &ctx.query;
    q.no_expand()?;
    check_orderby(ctx, "createdDateTime")?;
    if q.count {
        return Err(GraphError::unsupported(
            "Unsupported Query: $count is not supported on signIns.",
        ));
    }
    let top = q.page_size(1000, 1000)?;
    let s = stream(ctx, &data, ctx.state.generator.as_ref());
    let (page, next) = s.page(q.filter.as_ref(), q.pos, top);
    let value: Vec<Value> = page.iter().map(|v| q.project(v, None)).collect();
    let next_link = next.map(|(a, b)| ctx.next_link(a, b));
    let context = ctx.context(&format!("auditLogs/signIns{}", q.context_suffix()));
    Ok(Reply::ok(collection(context, value, next_link)))
}

pub fn sign_in(ctx: &Ctx<'_>, id: &str) -> Answer {
    let data = lock(&ctx.state.data);
    if !data.tenant.licences().0 {
        return Err(GraphError::not_premium());
    }
    let s = stream(ctx, &data, ctx.state.generator.as_ref());
    match s.find(id) {
        Some(v) => entity(ctx, &v, "auditLogs/signIns", None),
        None => Err(GraphError::new(
            axum::http::StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!("Sign-in '{id}' was not found."),
        )),
    }
}

pub fn directory_audits(ctx: &Ctx<'_>, id: Option<&str>) -> Answer {
    let data = lock(&ctx.state.data);
    let audits = &data.tenant.directory_audits;
    match id {
        None => {
            check_orderby(ctx, "activityDateTime")?;
            list_values(
                ctx,
                audits,
                "auditLogs/directoryAudits",
                (1000, 1000),
                None,
                |_| true,
            )
        }
        Some(id) => match find_by_id(audits, id) {
            Some(a) => entity(ctx, a, "auditLogs/directoryAudits", None),
            None => Err(GraphError::new(
                axum::http::StatusCode::NOT_FOUND,
                "Request_ResourceNotFound",
                format!("Directory audit '{id}' was not found."),
            )),
        },
    }
}
