//! The simulated identity provider's check of a certificate client assertion (RFC 7523, as
//! Entra does it): the JWT names a registered certificate by `x5t#S256` (or `x5t`), its RS256
//! signature verifies with that certificate's public key, `aud` is this token endpoint,
//! `iss` = `sub` = the client id, and it is inside `nbf`..`exp`. Each failure carries the
//! AADSTS code Entra answers with.

use base64::Engine as _;
use rustls_pki_types::CertificateDer;

use crate::auth::certificate::{ASSERTION_TYPE, thumbprint_sha1, thumbprint_sha256};

/// Why an assertion was refused: OAuth error, AADSTS code, text (Entra's wording).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: &'static str,
    pub code: u32,
    pub text: String,
    /// 401 for a client that failed to authenticate, 400 for a malformed request.
    pub unauthorized: bool,
}

fn refuse(code: u32, text: impl Into<String>) -> Refusal {
    Refusal {
        error: "invalid_client",
        code,
        text: text.into(),
        unauthorized: true,
    }
}

fn malformed(code: u32, text: impl Into<String>) -> Refusal {
    Refusal {
        error: "invalid_request",
        code,
        text: text.into(),
        unauthorized: false,
    }
}

fn part(s: &str) -> Option<serde_json::Value> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Checks `assertion` (of type `assertion_type`) for `client_id`, whose registered
/// certificates are `certificates` (DER), at the token endpoint `audience`, at `now` (Unix s).
pub fn verify(
    assertion_type: Option<&str>,
    assertion: &str,
    client_id: &str,
    certificates: &[Vec<u8>],
    audience: &str,
    now: i64,
) -> Result<(), Refusal> {
    if assertion_type != Some(ASSERTION_TYPE) {
        return Err(malformed(
            70002,
            format!(
                "The client_assertion_type parameter must be '{ASSERTION_TYPE}' when a client_assertion is presented."
            ),
        ));
    }
    let pieces: Vec<&str> = assertion.split('.').collect();
    let (Some(header), Some(claims), Some(sig), 3) = (
        pieces.first().and_then(|h| part(h)),
        pieces.get(1).and_then(|c| part(c)),
        pieces.get(2).and_then(|s| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s)
                .ok()
        }),
        pieces.len(),
    ) else {
        return Err(malformed(50027, "JWT token is invalid or malformed."));
    };
    if header["alg"] != "RS256" {
        return Err(refuse(
            700027,
            "Client assertion failed signature validation. The signing algorithm is not supported; use RS256.",
        ));
    }
    let s256 = header["x5t#S256"].as_str();
    let sha1 = header["x5t"].as_str();
    let Some(cert) = certificates.iter().find(|der| {
        s256.is_some_and(|t| t == thumbprint_sha256(der))
            || sha1.is_some_and(|t| t == thumbprint_sha1(der))
    }) else {
        return Err(refuse(
            700027,
            format!(
                "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{client_id}'.]",
                s256.or(sha1)
                    .unwrap_or("")
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || "-_".contains(*c))
                    .collect::<String>()
            ),
        ));
    };
    let der = CertificateDer::from(cert.as_slice());
    let verified = webpki::EndEntityCert::try_from(&der).is_ok_and(|ee| {
        let input = format!("{}.{}", pieces[0], pieces[1]);
        ee.verify_signature(
            webpki::ring::RSA_PKCS1_2048_8192_SHA256,
            input.as_bytes(),
            &sig,
        )
        .is_ok()
    });
    if !verified {
        return Err(refuse(
            700027,
            "Client assertion failed signature validation. Client assertion contains an invalid signature.",
        ));
    }
    let iss = claims["iss"].as_str();
    let sub = claims["sub"].as_str();
    if iss != Some(client_id) || sub != Some(client_id) {
        return Err(refuse(
            700021,
            "Client assertion application identifier doesn't match 'client_id' parameter.",
        ));
    }
    if !claims["aud"]
        .as_str()
        .is_some_and(|a| a.eq_ignore_ascii_case(audience))
    {
        return Err(refuse(
            700023,
            format!(
                "Client assertion audience claim does not match Realm issuer. Expected '{audience}'."
            ),
        ));
    }
    let (nbf, exp) = (claims["nbf"].as_i64(), claims["exp"].as_i64());
    // Entra allows a few minutes of clock skew.
    const SKEW: i64 = 300;
    if exp.is_none_or(|e| e + SKEW < now) || nbf.is_some_and(|n| n - SKEW > now) {
        return Err(refuse(
            700024,
            "Client assertion is not within its valid time range.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::certificate::{ClientCertificate, first_certificate};
    use std::path::Path;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/app-cert");
    const AUD: &str = "http://127.0.0.1:1/t/oauth2/v2.0/token";

    fn der() -> Vec<u8> {
        first_certificate(
            &std::fs::read(Path::new(FIXTURES).join("test-only-app.cer.pem")).unwrap(),
        )
        .unwrap()
    }

    fn signer(key: &str) -> ClientCertificate {
        let pem = std::fs::read(Path::new(FIXTURES).join(key)).unwrap();
        ClientCertificate::from_parts(&der(), &pem, Path::new(key)).unwrap()
    }

    fn check(a: &str, client: &str, now: i64) -> Result<(), Refusal> {
        verify(Some(ASSERTION_TYPE), a, client, &[der()], AUD, now)
    }

    #[test]
    fn accepts_the_registered_key_and_refuses_everything_else_with_entra_codes() {
        let good = signer("test-only-app.pem");
        let a = good.assertion("app-1", AUD, 10_000).unwrap();
        assert_eq!(check(a.expose(), "app-1", 10_100), Ok(()));
        // Another app's id, expired, wrong audience.
        assert_eq!(check(a.expose(), "app-2", 10_100).unwrap_err().code, 700021);
        assert_eq!(check(a.expose(), "app-1", 20_000).unwrap_err().code, 700024);
        let elsewhere = good
            .assertion("app-1", "https://x/t/oauth2/v2.0/token", 10_000)
            .unwrap();
        assert_eq!(
            check(elsewhere.expose(), "app-1", 10_000).unwrap_err().code,
            700023
        );
        // A key that is not the certificate's: bad signature.
        let wrong = signer("test-only-wrong-key.pkcs1.pem");
        let bad = wrong.assertion("app-1", AUD, 10_000).unwrap();
        let r = check(bad.expose(), "app-1", 10_000).unwrap_err();
        assert_eq!(
            (r.error, r.code, r.unauthorized),
            ("invalid_client", 700027, true)
        );
        assert!(r.text.contains("invalid signature"), "{}", r.text);
        // No certificate registered with that thumbprint.
        let r = verify(Some(ASSERTION_TYPE), a.expose(), "app-1", &[], AUD, 10_000).unwrap_err();
        assert!(r.text.contains("not registered"), "{}", r.text);
        // Malformed, or the wrong assertion type.
        assert_eq!(check("abc", "app-1", 10_000).unwrap_err().code, 50027);
        let t = verify(Some("x"), a.expose(), "app-1", &[der()], AUD, 10_000);
        assert_eq!(t.unwrap_err().code, 70002);
    }
}
