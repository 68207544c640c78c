//! Graph's evolvable enums: known members as variants, anything else kept in `Other(String)`.
//! Matching is case-insensitive because documented samples drift in casing.

macro_rules! evolvable_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A member this build does not know (or `unknownFutureValue`), kept verbatim.
            Other(String),
            /// Absent or null in the response.
            #[default]
            Missing,
        }

        impl $name {
            /// Parses a Graph member name, case-insensitively.
            pub fn parse(s: &str) -> Self {
                $(if s.eq_ignore_ascii_case($text) { return Self::$variant; })+
                if s.is_empty() { Self::Missing } else { Self::Other(s.to_owned()) }
            }
            /// The Graph member name (as Graph spells it).
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(s) => s,
                    Self::Missing => "",
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::Missing => s.serialize_none(),
                    other => s.serialize_str(other.as_str()),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = serde_json::Value::deserialize(d)?;
                Ok(match v {
                    serde_json::Value::String(s) => Self::parse(&s),
                    serde_json::Value::Null => Self::Missing,
                    other => Self::Other(other.to_string()),
                })
            }
        }
    };
}

evolvable_enum! {
    /// `riskLevel`: low, medium, high, hidden, none.
    RiskLevel { Low = "low", Medium = "medium", High = "high", Hidden = "hidden", None = "none" }
}

impl RiskLevel {
    /// Ordering for filters and sorting: none/hidden/unknown < low < medium < high.
    pub fn rank(&self) -> u8 {
        match self {
            Self::High => 3,
            Self::Medium => 2,
            Self::Low => 1,
            _ => 0,
        }
    }
}

evolvable_enum! {
    /// `riskState`.
    RiskState {
        None = "none", ConfirmedSafe = "confirmedSafe", Remediated = "remediated",
        Dismissed = "dismissed", AtRisk = "atRisk", ConfirmedCompromised = "confirmedCompromised",
    }
}

evolvable_enum! {
    /// `riskDetail` (main members; the rest arrive as `Other`).
    RiskDetail {
        None = "none",
        AdminGeneratedTemporaryPassword = "adminGeneratedTemporaryPassword",
        UserPerformedSecuredPasswordChange = "userPerformedSecuredPasswordChange",
        UserPerformedSecuredPasswordReset = "userPerformedSecuredPasswordReset",
        AdminConfirmedSigninSafe = "adminConfirmedSigninSafe",
        AiConfirmedSigninSafe = "aiConfirmedSigninSafe",
        UserPassedMfaDrivenByRiskBasedPolicy = "userPassedMFADrivenByRiskBasedPolicy",
        AdminDismissedAllRiskForUser = "adminDismissedAllRiskForUser",
        AdminConfirmedSigninCompromised = "adminConfirmedSigninCompromised",
        Hidden = "hidden",
        AdminConfirmedUserCompromised = "adminConfirmedUserCompromised",
    }
}

evolvable_enum! {
    /// `conditionalAccessStatus` of a sign-in.
    ConditionalAccessStatus { Success = "success", Failure = "failure", NotApplied = "notApplied" }
}

evolvable_enum! {
    /// `consentType` of an oAuth2PermissionGrant.
    ConsentType { AllPrincipals = "AllPrincipals", Principal = "Principal" }
}

evolvable_enum! {
    /// `operationResult` of a directory audit.
    OperationResult { Success = "success", Failure = "failure", Timeout = "timeout" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evolvable_enum_round_trips_and_keeps_unknowns() {
        let v: RiskLevel = serde_json::from_str("\"HIGH\"").unwrap();
        assert_eq!(v, RiskLevel::High);
        let v: RiskState = serde_json::from_str("\"unknownFutureValue\"").unwrap();
        assert_eq!(v, RiskState::Other("unknownFutureValue".into()));
        let v: RiskDetail = serde_json::from_str("null").unwrap();
        assert_eq!(v, RiskDetail::Missing);
        assert_eq!(
            serde_json::to_string(&RiskState::AtRisk).unwrap(),
            "\"atRisk\""
        );
    }
}
