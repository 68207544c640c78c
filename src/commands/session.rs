//! `login`, `logout`, `whoami`: the analyst's sign-in, outside the console.

use crate::auth;

use super::{Context, Failure};

/// Device-code sign-in; the code and URL go to stderr; succeeds once the token is cached.
pub async fn login(ctx: &Context) -> Result<(), Failure> {
    let cfg = ctx.auth_config()?;
    if auth::env_token().is_some() {
        eprintln!(
            "note: ENTRA_TRIAGE_TOKEN is set, so the other commands will use it, not this sign-in"
        );
    }
    let session = auth::login(&cfg, |prompt| eprintln!("{}", prompt.text()))
        .await
        .map_err(|e| Failure::new(4, e.to_string()))?;
    eprintln!(
        "signed in as {} (tenant {}), token cached at {} until {}",
        session.account.as_deref().unwrap_or("?"),
        session.tenant_id.as_deref().unwrap_or("?"),
        session.cache_path.display(),
        session.expires_at.format("%Y-%m-%d %H:%M UTC"),
    );
    Ok(())
}

/// Forgets the profile's cached token.
pub fn logout(ctx: &Context) -> Result<(), Failure> {
    let cfg = ctx.auth_config()?;
    match auth::logout(&cfg) {
        Ok(true) => {
            eprintln!("signed out of profile {}", ctx.profile_name);
            Ok(())
        }
        Ok(false) => {
            eprintln!("profile {} was not signed in", ctx.profile_name);
            Ok(())
        }
        Err(e) => Err(Failure::new(1, e.to_string())),
    }
}

/// Who is signed in, where, with which scopes, until when — never the token itself — and
/// what Graph itself says about the account and tenant the token reaches.
pub async fn whoami(ctx: &Context) -> Result<(), Failure> {
    let cfg = ctx.auth_config()?;
    let who = auth::whoami(&cfg).map_err(|e| Failure::new(4, e.to_string()))?;
    println!("{who}");
    let client = ctx.graph_client()?;
    let (me, org) = tokio::join!(client.me(), client.organization());
    println!("graph      {}", client.graph_url());
    match me {
        Ok(u) => println!(
            "graph says account {} ({})",
            u.user_principal_name.safe(),
            crate::sanitize::line(&u.id)
        ),
        Err(e) => println!("graph says account: {e}"),
    }
    match org {
        Ok(o) => println!(
            "graph says tenant {} ({})",
            o.display_name.safe(),
            crate::sanitize::line(&o.id)
        ),
        Err(e) => println!("graph says tenant: {e}"),
    }
    if auth::app_only_configured(&cfg) {
        print!("{}", app_only_lines(&cfg).await);
    }
    Ok(())
}

/// The app-only credential `whoami` reports: which credential, and what a token obtained with
/// it may do (or why none could be obtained). Never the token or the key.
async fn app_only_lines(cfg: &auth::AuthConfig) -> String {
    let line = |k: &str, v: &str| format!("{k:<10} {v}\n");
    let credential = match &cfg.app_only_certificate {
        Some(p) => match auth::ClientCertificate::load(p, cfg.app_only_key.as_deref()) {
            Ok(c) => format!(
                "certificate {} (thumbprint {})",
                p.display(),
                c.thumbprint_hex()
            ),
            Err(_) => format!("certificate {}", p.display()),
        },
        None => format!(
            "client secret from ${}",
            cfg.client_secret_env
                .as_deref()
                .unwrap_or(auth::DEFAULT_SECRET_ENV)
        ),
    };
    let mut out = line("app-only", &credential);
    let token = match auth::app_only_source(cfg) {
        Ok(source) => source.token().await.map_err(|e| e.message),
        Err(e) => Err(e.to_string()),
    };
    let token = match token.map(zeroize::Zeroizing::new) {
        Ok(t) => t,
        Err(e) => {
            out.push_str(&line("app-only", &format!("UNAVAILABLE: {e}")));
            return out;
        }
    };
    let claims = auth::claims::decode(&token).unwrap_or_default();
    if let Some(app) = &claims.appid {
        out.push_str(&line(
            "app-only",
            &format!("app {}", crate::sanitize::line(app)),
        ));
    }
    let roles = if claims.roles.is_empty() {
        "(none)".to_string()
    } else {
        crate::sanitize::line(&claims.roles.join(" "))
    };
    out.push_str(&line("app roles", &roles));
    if let Some(t) = claims.expires_at() {
        out.push_str(&line(
            "app expiry",
            &format!("{} (kept in memory only)", t.format("%Y-%m-%d %H:%M:%SZ")),
        ));
    }
    let used = match claims
        .granted()
        .check(auth::Feature::OtherUsersMailboxRules)
        .message()
    {
        None => "another user's inbox rules and mail folders (nothing else)".to_string(),
        Some(missing) => format!("nothing: {missing}"),
    };
    out.push_str(&line("app used", &used));
    out
}
