//! Graph's evolvable enums (graph-api.md §0): members listed after `unknownFutureValue` are
//! only sent when the request carries `Prefer: include-unknown-enum-members`; otherwise the
//! service substitutes `unknownFutureValue`. Applied to every JSON answer.

use serde_json::Value;

/// riskDetail members after unknownFutureValue (`riskDetail`, history `activity.detail`).
const RISK_DETAIL: &[&str] = &[
    "m365DAdminDismissedDetection",
    "adminConfirmedServicePrincipalCompromised",
    "adminDismissedAllRiskForServicePrincipal",
    "userChangedPasswordOnPremises",
    "adminDismissedRiskForSignIn",
    "adminConfirmedAccountSafe",
    "microsoftRevokedSessions",
];

/// appliedConditionalAccessPolicy.result members after unknownFutureValue.
const CA_RESULT: &[&str] = &[
    "reportOnlySuccess",
    "reportOnlyFailure",
    "reportOnlyNotApplied",
    "reportOnlyInterrupted",
];

/// tokenIssuerType members after UnknownFutureValue (this enum is PascalCase).
const TOKEN_ISSUER: &[&str] = &[
    "AzureADBackupAuth",
    "ADFederationServicesMFAAdapter",
    "NPSExtension",
];

fn hidden(key: &str, v: &str) -> Option<&'static str> {
    let is = |list: &[&str]| list.iter().any(|m| m.eq_ignore_ascii_case(v));
    match key {
        "riskDetail" | "detail" if is(RISK_DETAIL) => Some("unknownFutureValue"),
        "result" if is(CA_RESULT) => Some("unknownFutureValue"),
        "tokenIssuerType" if is(TOKEN_ISSUER) => Some("UnknownFutureValue"),
        _ => None,
    }
}

/// Replaces evolvable members by `unknownFutureValue` throughout `v`.
pub fn hide_evolvable(v: &mut Value) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if let Value::String(s) = x
                    && let Some(r) = hidden(k, s)
                {
                    *x = Value::String(r.into());
                } else {
                    hide_evolvable(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(hide_evolvable),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn substitutes_only_evolvable_members() {
        let mut v = json!({"value": [
            {"riskDetail": "adminConfirmedAccountSafe", "activity": {"detail": "microsoftRevokedSessions"}},
            {"riskDetail": "adminConfirmedUserCompromised", "tokenIssuerType": "NPSExtension",
             "appliedConditionalAccessPolicies": [{"result": "reportOnlyFailure"}, {"result": "success"}]}]});
        hide_evolvable(&mut v);
        assert_eq!(v["value"][0]["riskDetail"], "unknownFutureValue");
        assert_eq!(v["value"][0]["activity"]["detail"], "unknownFutureValue");
        assert_eq!(v["value"][1]["riskDetail"], "adminConfirmedUserCompromised");
        assert_eq!(v["value"][1]["tokenIssuerType"], "UnknownFutureValue");
        let ca = &v["value"][1]["appliedConditionalAccessPolicies"];
        assert_eq!(
            (ca[0]["result"].as_str(), ca[1]["result"].as_str()),
            (Some("unknownFutureValue"), Some("success"))
        );
    }
}
