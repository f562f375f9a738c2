//! HTTPS: rustls with a certificate from PEM files (reloaded when they change or on SIGHUP)
//! or one obtained and renewed from an ACME CA (Let's Encrypt by default) by `rustls-acme`,
//! the account and certificate cached on disk so a restart does not ask again.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use rustls_acme::caches::DirCache;
use rustls_acme::tower::TowerHttp01ChallengeService;
use rustls_acme::{AcmeConfig, UseChallenge};

use crate::cli::TlsArgs;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the certificate {0}: {1}")]
    Cert(PathBuf, String),
    #[error("cannot read the private key {0}: {1}")]
    Key(PathBuf, String),
    #[error("cannot read the ACME CA {0}: {1}")]
    AcmeCa(PathBuf, String),
    #[error("--http-addr needs HTTPS: give --tls-cert/--tls-key or --acme-domain")]
    HttpWithoutTls,
    #[error("TLS setup: {0}")]
    Rustls(#[from] rustls::Error),
}

/// What the HTTPS listener needs: its configuration, and for TLS-ALPN-01 the one that answers
/// the CA's validation handshakes.
#[derive(Clone)]
pub struct Tls {
    pub config: Arc<ServerConfig>,
    pub alpn_challenge: Option<Arc<ServerConfig>>,
    /// The HTTP-01 answers, when --http-addr serves them.
    pub http01: Option<TowerHttp01ChallengeService>,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn server_config(resolver: Arc<dyn ResolvesServerCert>) -> Result<ServerConfig, TlsError> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The TLS setup the arguments ask for (`None`: plain HTTP). `cache_default` is where ACME
/// keeps its files when --acme-cache is not given.
pub fn from_args(args: &TlsArgs, cache_default: &Path) -> Result<Option<Tls>, TlsError> {
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let resolver = Arc::new(FileCert::load(cert.clone(), key.clone())?);
        spawn_reload(resolver.clone());
        return Ok(Some(Tls {
            config: Arc::new(server_config(resolver)?),
            alpn_challenge: None,
            http01: None,
        }));
    }
    if args.acme_domain.is_empty() {
        return match args.http_addr {
            Some(_) => Err(TlsError::HttpWithoutTls),
            None => Ok(None),
        };
    }
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(ca) = &args.acme_ca {
        let bad = |e: String| TlsError::AcmeCa(ca.clone(), e);
        for cert in CertificateDer::pem_file_iter(ca).map_err(|e| bad(e.to_string()))? {
            roots
                .add(cert.map_err(|e| bad(e.to_string()))?)
                .map_err(|e| bad(e.to_string()))?;
        }
    }
    let client = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let cache = args
        .acme_cache
        .clone()
        .unwrap_or_else(|| cache_default.to_path_buf());
    let challenge = if args.http_addr.is_some() {
        UseChallenge::Http01
    } else {
        UseChallenge::TlsAlpn01
    };
    let http01 = matches!(challenge, UseChallenge::Http01);
    let mut state = AcmeConfig::new_with_client_config(&args.acme_domain, Arc::new(client))
        .contact(args.acme_email.iter().map(|e| format!("mailto:{e}")))
        .directory(&args.acme_directory)
        .cache(DirCache::new(cache))
        .challenge_type(challenge)
        .state();
    let tls = Tls {
        config: Arc::new(server_config(state.resolver())?),
        alpn_challenge: (!http01).then(|| state.challenge_rustls_config()),
        http01: http01.then(|| state.http01_challenge_tower_service()),
    };
    let domains = args.acme_domain.join(",");
    // The state is a stream: polling it orders, renews and retries (with back-off).
    tokio::spawn(async move {
        while let Some(event) = state.next().await {
            match event {
                Ok(ok) => tracing::info!(domains, event = ?ok, "certificate"),
                Err(e) => tracing::warn!(domains, error = %e, "certificate not obtained yet"),
            }
        }
    });
    Ok(Some(tls))
}

/// A certificate and key from PEM files, swapped in place when the files change.
#[derive(Debug)]
struct FileCert {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<(Option<SystemTime>, Arc<CertifiedKey>)>,
}

impl FileCert {
    fn load(cert: PathBuf, key: PathBuf) -> Result<Self, TlsError> {
        let loaded = Self::read(&cert, &key)?;
        let stamp = Self::stamp(&cert, &key);
        Ok(FileCert {
            cert,
            key,
            current: RwLock::new((stamp, Arc::new(loaded))),
        })
    }

    fn stamp(cert: &Path, key: &Path) -> Option<SystemTime> {
        let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        Some(m(cert)?.max(m(key)?))
    }

    fn read(cert: &Path, key: &Path) -> Result<CertifiedKey, TlsError> {
        let bad_cert = |e: String| TlsError::Cert(cert.to_path_buf(), e);
        let chain = CertificateDer::pem_file_iter(cert)
            .map_err(|e| bad_cert(e.to_string()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad_cert(e.to_string()))?;
        if chain.is_empty() {
            return Err(bad_cert("no certificate in the file".into()));
        }
        let der = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| TlsError::Key(key.to_path_buf(), e.to_string()))?;
        // Checks that the key belongs to the certificate.
        CertifiedKey::from_der(chain, der, &provider())
            .map_err(|e| TlsError::Key(key.to_path_buf(), e.to_string()))
    }

    /// Reads the files again if they changed (or `force`); a broken new pair keeps the old one.
    fn reload(&self, force: bool) {
        let stamp = Self::stamp(&self.cert, &self.key);
        let current = self.current.read().unwrap_or_else(|e| e.into_inner()).0;
        if !force && stamp == current {
            return;
        }
        match Self::read(&self.cert, &self.key) {
            Ok(key) => {
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = (stamp, Arc::new(key));
                tracing::info!(cert = %self.cert.display(), "certificate reloaded");
            }
            Err(e) => tracing::warn!(error = %e, "certificate not reloaded; keeping the old one"),
        }
    }
}

impl ResolvesServerCert for FileCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .1
                .clone(),
        )
    }
}

/// How often the certificate files are checked for a change (certbot renewals, …).
const RELOAD_CHECK: Duration = Duration::from_secs(30);

fn spawn_reload(cert: Arc<FileCert>) {
    tokio::spawn(async move {
        #[cfg(unix)]
        let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
        let mut tick = tokio::time::interval(RELOAD_CHECK);
        loop {
            #[cfg(unix)]
            let force = tokio::select! {
                _ = tick.tick() => false,
                Some(()) = async { match hup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => true,
            };
            #[cfg(not(unix))]
            let force = {
                tick.tick().await;
                false
            };
            let cert = cert.clone();
            let _ = tokio::task::spawn_blocking(move || cert.reload(force)).await;
        }
    });
}
