//! Password hashing with Argon2id (the crate's defaults: OWASP's recommended parameters).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::Argon2;

thread_local! {
    /// Argon2's memory, one buffer per thread, reused (see `verify`).
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Argon2 into `out` with this thread's buffer.
fn argon2_into(
    argon: &Argon2<'_>,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        blocks.resize(argon.params().block_count(), argon2::Block::default());
        argon.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut blocks[..])
    })
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for a new password.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let argon = Argon2::default();
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut salt_bytes)?;
    let mut out = [0u8; argon2::Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon, password, raw_salt, &mut out)?;
    let phc = PasswordHash {
        algorithm: argon2::Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: argon.params().try_into()?,
        salt: Some(salt.as_salt()),
        hash: Some(argon2::password_hash::Output::new(&out)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash`. The 19 MiB of Argon2's memory are one
/// buffer per thread, reused: measured, argon2 0.5's own allocation per check was never
/// given back (the process grew by 19 MiB a check).
pub fn verify(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        argon2::Algorithm::try_from(parsed.algorithm),
        argon2::Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(argon2::Version::default()), argon2::Version::try_from);
    let Ok(version) = version else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    let done = argon2_into(&argon, password, salt, &mut out);
    // `Output`'s equality is constant-time.
    done.is_ok() && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

/// Verifies against a fixed hash, so that an unknown username costs as long as a wrong
/// password (no timing difference tells which usernames exist).
pub fn burn_time(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let h = DUMMY.get_or_init(|| hash("not a real password").unwrap_or_default());
    let _ = verify(password, h);
}

/// Argon2 behind a gate: each check takes 19 MiB for a moment, so a burst of sign-ins would
/// otherwise take the server's memory with it. The checks run on a few threads of their own
/// (one per core, up to 4: the allocator keeps each thread's 19 MiB for reuse, so a fixed set
/// of threads bounds the peak); up to `QUEUE` more wait their turn; beyond that a sign-in is
/// answered "busy" at once.
pub struct HashGate {
    jobs: std::sync::mpsc::SyncSender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Sign-ins that may wait for a turn (a few seconds at most).
pub const QUEUE: usize = 32;

#[derive(Debug)]
pub struct Busy;

impl Default for HashGate {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4));
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            // Ends when the gate (the sender) is dropped.
            let _ = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
        }
        HashGate { jobs }
    }
}

impl HashGate {
    /// Runs `f` (an Argon2 check) on the gate's threads when one is free.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .try_send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .map_err(|_| Busy)?;
        rx.await.map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only_and_reads_as_the_crate_writes_it() {
        let h = hash("correct horse 1").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse 1", &h));
        assert!(!verify("correct horse 2", &h));
        assert!(!verify("correct horse 1", "not a hash"));
        // A hash the crate's own hasher wrote (as every stored one was) verifies too.
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"pw 12345", &salt)
            .unwrap()
            .to_string();
        assert!(verify("pw 12345", &theirs));
    }
}
