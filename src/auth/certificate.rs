//! App-only certificate credentials: the app registration's certificate and RSA private key
//! (PEM), and the client assertion that replaces a client secret at the token endpoint — a
//! JWT signed RS256 (RFC 7523, Microsoft's "certificate credentials"), whose header names the
//! certificate by its SHA-256 (`x5t#S256`) and SHA-1 (`x5t`) thumbprints.
//!
//! The key file must be private to its owner (like the token cache); the PEM bytes read from
//! disk and the DER copy of the key are zeroed once parsed (ring's parsed `RsaKeyPair` does not
//! wipe itself on drop; it lives as long as the app-only token source); errors name the file,
//! never its contents.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls_pki_types::pem::{PemObject as _, SectionKind};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use zeroize::Zeroizing;

use super::AuthError;
use super::secret::Secret;

/// `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// How long an assertion is valid (Microsoft: "5-10 minutes after nbf at most").
pub const ASSERTION_LIFETIME_SECS: i64 = 600;

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Base64url SHA-256 thumbprint of a certificate's DER encoding (the `x5t#S256` header).
pub fn thumbprint_sha256(cert_der: &[u8]) -> String {
    b64url(ring::digest::digest(&ring::digest::SHA256, cert_der).as_ref())
}

/// Base64url SHA-1 thumbprint of a certificate's DER encoding (the `x5t` header).
pub fn thumbprint_sha1(cert_der: &[u8]) -> String {
    b64url(ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, cert_der).as_ref())
}

/// The first certificate of a PEM file, as DER; the error says what is wrong, not the bytes.
pub fn first_certificate(pem: &[u8]) -> Result<Vec<u8>, String> {
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
        match section {
            Ok((SectionKind::Certificate, der)) => {
                return Ok(CertificateDer::from(der).as_ref().to_vec());
            }
            Ok(_) => continue,
            Err(e) => return Err(format!("not valid PEM ({})", pem_error(&e))),
        }
    }
    Err("no certificate (-----BEGIN CERTIFICATE-----) in it".to_string())
}

/// A PEM error said without quoting the file (pki-types' messages carry no key bytes, but
/// keep to the kind anyway).
fn pem_error(e: &rustls_pki_types::pem::Error) -> &'static str {
    use rustls_pki_types::pem::Error as E;
    match e {
        E::MissingSectionEnd { .. } => "a section has no END line",
        E::IllegalSectionStart { .. } => "a BEGIN line is malformed",
        E::Base64Decode(_) => "base64 that does not decode",
        E::Io(_) => "read error",
        E::NoItemsFound => "nothing in it",
        _ => "unreadable",
    }
}

/// An app registration's certificate credential, ready to sign client assertions.
pub struct ClientCertificate {
    key: RsaKeyPair,
    key_path: PathBuf,
    sha256: String,
    sha1: String,
    /// SHA-1 thumbprint in upper-case hex, as the Entra admin center lists certificates.
    sha1_hex: String,
}

impl std::fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("key_path", &self.key_path)
            .field("x5t#S256", &self.sha256)
            .finish_non_exhaustive()
    }
}

/// Reads a file that holds a private key: refused when group or others may read it.
fn read_private(path: &Path) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    let io = |what: &str, e: std::io::Error| AuthError::Certificate {
        path: path.to_path_buf(),
        detail: format!("{what}: {e}"),
    };
    let meta = std::fs::metadata(path).map_err(|e| io("cannot read it", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(AuthError::KeyInsecure {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|e| io("cannot read it", e))
}

impl ClientCertificate {
    /// Loads the credential: `cert_path` holds the certificate (and the private key unless
    /// `key_path` is given); the key may be PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`). The file holding the key must be mode 0600 (or stricter).
    pub fn load(cert_path: &Path, key_path: Option<&Path>) -> Result<Self, AuthError> {
        let key_path = key_path.unwrap_or(cert_path);
        let key_pem = read_private(key_path)?;
        let cert_pem = if key_path == cert_path {
            key_pem.clone()
        } else {
            Zeroizing::new(
                std::fs::read(cert_path).map_err(|e| AuthError::Certificate {
                    path: cert_path.to_path_buf(),
                    detail: format!("cannot read it: {e}"),
                })?,
            )
        };
        let cert_der = first_certificate(&cert_pem).map_err(|detail| AuthError::Certificate {
            path: cert_path.to_path_buf(),
            detail,
        })?;
        Self::from_parts(&cert_der, &key_pem, key_path)
    }

    /// The credential from a certificate (DER) and a PEM holding the key; `key_path` only
    /// names the key in messages.
    pub fn from_parts(cert_der: &[u8], key_pem: &[u8], key_path: &Path) -> Result<Self, AuthError> {
        let bad = |detail: &str| AuthError::Certificate {
            path: key_path.to_path_buf(),
            detail: detail.to_string(),
        };
        // The DER copy of the key is wiped once ring has parsed it.
        let der = match PrivateKeyDer::from_pem_slice(key_pem) {
            Ok(k) => Zeroizing::new(k),
            Err(_) => {
                return Err(bad(
                    "no private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----) in it",
                ));
            }
        };
        let key = match &*der {
            PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()),
            _ => {
                return Err(bad(
                    "the private key is not RSA (Entra certificate credentials need an RSA key)",
                ));
            }
        }
        .map_err(|e| bad(&format!("the RSA private key is not usable ({e})")))?;
        Ok(ClientCertificate {
            key,
            key_path: key_path.to_path_buf(),
            sha256: thumbprint_sha256(cert_der),
            sha1: thumbprint_sha1(cert_der),
            sha1_hex: hex::encode_upper(
                ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, cert_der).as_ref(),
            ),
        })
    }

    /// The certificate's SHA-256 thumbprint, base64url (what `x5t#S256` carries).
    pub fn thumbprint(&self) -> &str {
        &self.sha256
    }

    /// The certificate's thumbprint as the Entra admin center shows it (SHA-1, hex).
    pub fn thumbprint_hex(&self) -> &str {
        &self.sha1_hex
    }

    /// A client assertion for `client_id` at the token endpoint `audience`, valid from `now`
    /// (Unix seconds) for [`ASSERTION_LIFETIME_SECS`], with a fresh `jti`.
    pub fn assertion(
        &self,
        client_id: &str,
        audience: &str,
        now: i64,
    ) -> Result<Secret, AuthError> {
        let header = serde_json::json!({
            "alg": "RS256", "typ": "JWT", "x5t#S256": self.sha256, "x5t": self.sha1,
        });
        let claims = serde_json::json!({
            "aud": audience, "iss": client_id, "sub": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now, "iat": now, "exp": now + ASSERTION_LIFETIME_SECS,
        });
        let signing_input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let mut signature = Zeroizing::new(vec![0u8; self.key.public().modulus_len()]);
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| AuthError::Certificate {
                path: self.key_path.clone(),
                detail: "signing the client assertion failed".to_string(),
            })?;
        Ok(Secret::new(format!(
            "{signing_input}.{}",
            b64url(&signature)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/app-cert");

    fn private_copy(name: &str, mode: u32) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::copy(Path::new(FIXTURES).join(name), &path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        (dir, path)
    }

    fn decode(part: &str) -> serde_json::Value {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn assertion_is_a_verifiable_rs256_jwt_with_thumbprints_and_claims() {
        let (_d, path) = private_copy("test-only-app.pem", 0o600);
        let cert = ClientCertificate::load(&path, None).unwrap();
        let pem = std::fs::read(&path).unwrap();
        let der = first_certificate(&pem).unwrap();
        let a = cert
            .assertion("app-1", "https://login.example/t/oauth2/v2.0/token", 1_000)
            .unwrap();
        let parts: Vec<&str> = a.expose().split('.').collect();
        assert_eq!(parts.len(), 3);
        let (h, c) = (decode(parts[0]), decode(parts[1]));
        assert_eq!(h["alg"], "RS256");
        assert_eq!(h["x5t#S256"], thumbprint_sha256(&der));
        assert_eq!(h["x5t"], thumbprint_sha1(&der));
        assert_eq!(c["aud"], "https://login.example/t/oauth2/v2.0/token");
        assert_eq!(
            (c["iss"].as_str(), c["sub"].as_str()),
            (Some("app-1"), Some("app-1"))
        );
        assert_eq!(
            (c["nbf"].as_i64(), c["exp"].as_i64()),
            (Some(1_000), Some(1_600))
        );
        // The signature verifies with the certificate's public key.
        let cert_der = CertificateDer::from(der.as_slice());
        let ee = webpki::EndEntityCert::try_from(&cert_der).unwrap();
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[2])
            .unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        ee.verify_signature(
            webpki::ring::RSA_PKCS1_2048_8192_SHA256,
            input.as_bytes(),
            &sig,
        )
        .unwrap();
        // A fresh jti each time.
        let b = cert.assertion("app-1", "aud", 1_000).unwrap();
        assert_ne!(
            decode(b.expose().split('.').nth(1).unwrap())["jti"],
            c["jti"]
        );
        assert!(!format!("{cert:?}").contains("PRIVATE"));
    }

    #[test]
    fn pkcs1_key_in_a_second_file() {
        let (_d, key) = private_copy("test-only-wrong-key.pkcs1.pem", 0o600);
        let cert = Path::new(FIXTURES).join("test-only-app.cer.pem");
        let c = ClientCertificate::load(&cert, Some(&key)).unwrap();
        let der = first_certificate(&std::fs::read(&cert).unwrap()).unwrap();
        assert_eq!(c.thumbprint(), thumbprint_sha256(&der));
    }

    #[cfg(unix)]
    #[test]
    fn key_readable_by_others_is_refused_with_the_chmod_hint() {
        let (_d, path) = private_copy("test-only-app.pem", 0o644);
        let err = ClientCertificate::load(&path, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("chmod 600 {}", path.display())),
            "{err}"
        );
        assert!(!err.contains("BEGIN"), "{err}");
    }

    #[test]
    fn a_file_without_a_key_names_the_file_not_its_contents() {
        let (_d, path) = private_copy("test-only-app.cer.pem", 0o600);
        let err = ClientCertificate::load(&path, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("no private key"), "{err}");
        assert!(!err.contains("MII"), "{err}");
    }
}
