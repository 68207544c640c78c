//! Verification: from the object read before and the object read after a change, decide
//! whether the change is visible in Graph (`Applied`), visibly not (`NotApplied`) or cannot
//! be told (`CannotTell`, with why). Pure functions over JSON; no IO.

use serde_json::Value;

use super::action::DangerousAction;
use crate::graph::GraphError;

/// One read of the object: the JSON, or the error Graph gave.
pub type Read = Result<Value, GraphError>;

/// What the read after a change shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The change is visible (what shows it).
    Applied(String),
    /// The object is visibly unchanged (what shows it).
    NotApplied(String),
    /// The read cannot tell (why).
    CannotTell(String),
}

fn field<'a>(r: &'a Read, name: &str) -> Option<&'a Value> {
    r.as_ref().ok().and_then(|v| v.get(name))
}

fn text(r: &Read, name: &str) -> Option<String> {
    field(r, name).and_then(Value::as_str).map(str::to_owned)
}

fn read_failed(r: &Read) -> Option<String> {
    r.as_ref()
        .err()
        .map(|e| format!("the verification read failed: {e}"))
}

fn moved(before: &Read, after: &Read, name: &str) -> Verdict {
    if let Some(why) = read_failed(after) {
        return Verdict::CannotTell(why);
    }
    match (text(before, name), text(after, name)) {
        (_, None) => Verdict::CannotTell(format!("Graph did not return {name}")),
        (b, Some(a)) if b.as_deref() != Some(a.as_str()) => {
            Verdict::Applied(format!("{name} moved to {a}"))
        }
        (_, Some(a)) => Verdict::NotApplied(format!("{name} still {a}")),
    }
}

fn gone(after: &Read, what: &str) -> Verdict {
    match after {
        Err(e) if e.is_not_found() => Verdict::Applied(format!("the {what} is gone (404)")),
        Err(e) => Verdict::CannotTell(format!("the verification read failed: {e}")),
        Ok(_) => Verdict::NotApplied(format!("the {what} is still there")),
    }
}

fn equals(after: &Read, name: &str, want: &Value) -> Verdict {
    if let Some(why) = read_failed(after) {
        return Verdict::CannotTell(why);
    }
    match field(after, name) {
        Some(v) if v == want => Verdict::Applied(format!("{name} is now {want}")),
        Some(v) => Verdict::NotApplied(format!("{name} is {v}")),
        None => Verdict::CannotTell(format!("Graph did not return {name}")),
    }
}

fn risk_state(after: &Read, states: &[&str]) -> Verdict {
    if let Some(why) = read_failed(after) {
        return Verdict::CannotTell(why);
    }
    match text(after, "riskState") {
        Some(s) if states.iter().any(|w| w.eq_ignore_ascii_case(&s)) => {
            Verdict::Applied(format!("riskState is now {s}"))
        }
        Some(s) => Verdict::NotApplied(format!("riskState is {s}")),
        None => Verdict::CannotTell("Graph did not return riskState".into()),
    }
}

/// The verdict for `action`. `created_id` is the id Graph gave a created object (TAP).
pub fn verdict(
    action: &DangerousAction,
    before: &[Read],
    after: &[Read],
    created_id: Option<&str>,
) -> Verdict {
    let none: Read = Ok(Value::Null);
    let b0 = before.first().unwrap_or(&none);
    let Some(a0) = after.first() else {
        return Verdict::CannotTell("nothing was read after the change".into());
    };
    match action {
        DangerousAction::RevokeSessions => moved(b0, a0, "signInSessionsValidFromDateTime"),
        DangerousAction::ResetPassword | DangerousAction::ResetPasswordProfile { .. } => {
            moved(b0, a0, "lastPasswordChangeDateTime")
        }
        DangerousAction::BlockSignIn => equals(a0, "accountEnabled", &Value::Bool(false)),
        DangerousAction::EnableSignIn => equals(a0, "accountEnabled", &Value::Bool(true)),
        DangerousAction::IssueTap { .. } => {
            if let Some(why) = read_failed(a0) {
                return Verdict::CannotTell(why);
            }
            let ids: Vec<&str> = field(a0, "value")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|m| m.get("id")?.as_str()).collect())
                .unwrap_or_default();
            match created_id {
                Some(id) if ids.contains(&id) => {
                    Verdict::Applied("the Temporary Access Pass is registered".into())
                }
                Some(_) => Verdict::NotApplied("the new pass is not in the method list".into()),
                None => Verdict::CannotTell("Graph did not return the pass's id".into()),
            }
        }
        DangerousAction::RemoveMethod(_) => gone(a0, "method"),
        DangerousAction::RemoveGrant(_) => gone(a0, "grant"),
        DangerousAction::DeleteRule(_) => gone(a0, "rule"),
        DangerousAction::NarrowGrant { scope, .. } => {
            if let Some(why) = read_failed(a0) {
                return Verdict::CannotTell(why);
            }
            let now = text(a0, "scope").unwrap_or_default();
            if now.split_whitespace().eq(scope.split_whitespace()) {
                Verdict::Applied(format!(
                    "scope is now \"{}\"",
                    crate::sanitize::line_capped(&now, 120)
                ))
            } else {
                Verdict::NotApplied(format!(
                    "scope is \"{}\"",
                    crate::sanitize::line_capped(&now, 120)
                ))
            }
        }
        DangerousAction::DisableRule(_) => equals(a0, "isEnabled", &Value::Bool(false)),
        DangerousAction::ConfirmCompromised => risk_state(a0, &["confirmedCompromised"]),
        DangerousAction::ConfirmSafe => {
            risk_state(a0, &["confirmedSafe", "remediated", "dismissed", "none"])
        }
        DangerousAction::DismissRisk => risk_state(a0, &["dismissed"]),
        DangerousAction::ConfirmSignInsCompromised(_) | DangerousAction::ConfirmSignInsSafe(_) => {
            let want = if matches!(action, DangerousAction::ConfirmSignInsSafe(_)) {
                "confirmedSafe"
            } else {
                "confirmedCompromised"
            };
            let verdicts: Vec<Verdict> = after.iter().map(|a| risk_state(a, &[want])).collect();
            let applied = verdicts
                .iter()
                .filter(|v| matches!(v, Verdict::Applied(_)))
                .count();
            if applied == verdicts.len() {
                Verdict::Applied(format!("{applied} sign-in(s) now {want}"))
            } else if let Some(Verdict::CannotTell(why)) = verdicts
                .iter()
                .find(|v| matches!(v, Verdict::CannotTell(_)))
            {
                Verdict::CannotTell(why.clone())
            } else {
                Verdict::NotApplied(format!("{applied} of {} sign-in(s) {want}", verdicts.len()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ErrorKind;
    use serde_json::json;

    #[test]
    fn revoke_needs_the_timestamp_to_move() {
        let before: Read = Ok(json!({"signInSessionsValidFromDateTime": "2026-11-01T00:00:00Z"}));
        let same = before.clone();
        let later: Read = Ok(json!({"signInSessionsValidFromDateTime": "2026-11-20T12:00:00Z"}));
        let a = DangerousAction::RevokeSessions;
        assert!(matches!(
            verdict(&a, std::slice::from_ref(&before), &[later], None),
            Verdict::Applied(_)
        ));
        assert!(matches!(
            verdict(&a, &[before], &[same], None),
            Verdict::NotApplied(_)
        ));
    }

    #[test]
    fn removal_is_verified_by_404_only() {
        let mut nf = GraphError::local(ErrorKind::Http, "gone", "GET", "/x");
        nf.status = Some(404);
        let mut forbidden = nf.clone();
        forbidden.status = Some(403);
        let a = DangerousAction::RemoveGrant(crate::contain::GrantRef {
            id: "g".into(),
            client: "c".into(),
            scope: String::new(),
        });
        assert!(matches!(
            verdict(&a, &[], &[Err(nf)], None),
            Verdict::Applied(_)
        ));
        assert!(matches!(
            verdict(&a, &[], &[Err(forbidden)], None),
            Verdict::CannotTell(_)
        ));
        assert!(matches!(
            verdict(&a, &[], &[Ok(json!({}))], None),
            Verdict::NotApplied(_)
        ));
    }
}
