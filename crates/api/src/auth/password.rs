//! Password hashing: argon2id with the OWASP parameters (m = 19456 KiB, t = 2, p = 1).
//!
//! Every hash holds 19 MiB while it runs, so handlers run hashes on [`run_hashing`]'s small pool
//! of dedicated threads (one for every two cores) instead of the blocking pool: at most that
//! many hashes are in flight (the others queue), which bounds the server's memory under a burst
//! of sign-ins (unbounded, 64 concurrent sign-ins took it to 7.2 GB) and leaves the other cores
//! to the rest of the portal (a burst of sign-ins does not stall previews and activations).

use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore as _;

use crate::error::ApiError;

/// Memory cost in KiB (OWASP: 19 MiB).
const M_COST_KIB: u32 = 19_456;
/// Iterations.
const T_COST: u32 = 2;
/// Parallelism.
const P_COST: u32 = 1;

fn params() -> Result<Params, ApiError> {
    Params::new(M_COST_KIB, T_COST, P_COST, None).map_err(ApiError::internal)
}

/// Blocks (1 KiB each) reserved at least for a hash's working memory: 33 MiB, above glibc's
/// highest dynamic mmap threshold (32 MiB).
const MIN_RESERVED_BLOCKS: usize = 33 * 1024;

/// The argon2 output of `password` with `salt` under `algorithm`, `version` and `params`.
///
/// The working memory (19 MiB) is allocated here, reserved larger than glibc's highest dynamic
/// mmap threshold so that it is always a mapping of its own, unmapped when dropped (only the
/// 19 MiB used are ever touched). Allocated through `argon2`'s own `hash_password_into`, it
/// raised glibc's mmap threshold to 19 MiB and stayed in the hashing threads' arenas: 64
/// concurrent sign-ins left the server at 220 MB of RSS instead of 32.
fn compute(
    password: &[u8],
    algorithm: Algorithm,
    version: Version,
    params: Params,
    salt: Salt<'_>,
) -> Result<Output, argon2::password_hash::Error> {
    let mut salt_bytes = [0_u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let block_count = params.block_count();
    let mut blocks: Vec<Block> = Vec::with_capacity(block_count.max(MIN_RESERVED_BLOCKS));
    blocks.resize(block_count, Block::default());
    let argon2 = Argon2::new(algorithm, version, params);
    Output::init_with(output_len, |out| {
        Ok(argon2.hash_password_into_with_memory(password, salt_bytes, out, &mut blocks)?)
    })
}

/// The hashing pool has stopped (a hashing thread panicked and the pool cannot take jobs).
#[derive(Debug, thiserror::Error)]
#[error("the password hashing pool is unavailable")]
pub struct HashPoolGone;

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the hashing threads, started on first use.
fn hash_pool() -> &'static std::sync::mpsc::Sender<Job> {
    static POOL: std::sync::OnceLock<std::sync::mpsc::Sender<Job>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        let threads =
            hashing_threads(std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
        for index in 0..threads {
            let receiver = std::sync::Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("clp-argon2-{index}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        sender
    })
}

/// Threads of the hashing pool on a machine of `cores` cores: one for every two cores, at least
/// one. Each holds 19 MiB while it hashes (peak RSS = the rest + 19 MiB a thread); on the 2-core
/// reference machine one hashing thread keeps the server within 60 MB and leaves a core to the
/// other routes during a burst of sign-ins.
fn hashing_threads(cores: usize) -> usize {
    (cores / 2).max(1)
}

/// Runs `job` (a [`hash_password`], [`verify_password`] or [`verify_dummy`] call) on the
/// hashing pool ([`hashing_threads`]), so at most that many 19 MiB hashes exist at once.
pub async fn run_hashing<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashPoolGone> {
    let (done, result) = tokio::sync::oneshot::channel();
    hash_pool()
        .send(Box::new(move || {
            let _ = done.send(job());
        }))
        .map_err(|_| HashPoolGone)?;
    result.await.map_err(|_| HashPoolGone)
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) of `password` with a fresh random salt.
///
/// CPU-heavy (tens of milliseconds) and 19 MiB: call it through [`run_hashing`] in handlers.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0_u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(ApiError::internal)?;
    let params = params()?;
    let output = compute(
        password.as_bytes(),
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
        salt.as_salt(),
    )
    .map_err(ApiError::internal)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(ApiError::internal)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string `hash`.
///
/// A malformed stored hash is an internal error, not a mismatch. CPU-heavy like
/// [`hash_password`]. The stored algorithm, version and parameters are used (as
/// `argon2`'s `PasswordVerifier` does); outputs are compared in constant time.
pub fn verify_password(password: &str, hash: &str) -> Result<bool, ApiError> {
    let parsed = PasswordHash::new(hash).map_err(ApiError::internal)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(ApiError::internal(
            "the stored password hash has no salt or no output",
        ));
    };
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(ApiError::internal)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(ApiError::internal)?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(ApiError::internal)?;
    let computed = compute(password.as_bytes(), algorithm, version, params, salt)
        .map_err(ApiError::internal)?;
    // `Output`'s equality is constant-time.
    Ok(computed == expected)
}

/// Spends the same time as [`verify_password`] when there is no account for the login, so
/// the response time does not tell whether an account exists. Always `false`.
pub fn verify_dummy(password: &str) -> bool {
    // A hash of a random password with the same parameters, computed once.
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        let mut random = [0_u8; 32];
        rand::rng().fill_bytes(&mut random);
        hash_password(&hex::encode(random)).ok()
    });
    if let Some(hash) = dummy {
        let _ = verify_password(password, hash);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hashing_thread_for_every_two_cores_and_at_least_one() {
        assert_eq!(hashing_threads(1), 1);
        assert_eq!(hashing_threads(2), 1);
        assert_eq!(hashing_threads(3), 1);
        assert_eq!(hashing_threads(8), 4);
    }

    #[test]
    fn hash_verifies_the_same_password_only() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery staple", &hash).unwrap());
        assert!(!verify_password("correct horse battery stapler", &hash).unwrap());
        assert_ne!(hash, hash_password("correct horse battery staple").unwrap());
    }

    #[test]
    fn dummy_verification_never_succeeds() {
        assert!(!verify_dummy("anything"));
    }

    #[tokio::test]
    async fn the_hashing_pool_runs_jobs() {
        let hash = run_hashing(|| hash_password("pool password 123"))
            .await
            .unwrap()
            .unwrap();
        assert!(
            run_hashing(move || verify_password("pool password 123", &hash))
                .await
                .unwrap()
                .unwrap()
        );
    }

    #[test]
    fn hashes_of_the_argon2_crate_verify_and_ours_verify_there() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params().unwrap());
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = argon2
            .hash_password(b"crate password 123", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password("crate password 123", &theirs).unwrap());
        assert!(!verify_password("crate password 124", &theirs).unwrap());
        let ours = hash_password("our password 1234").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon2
                .verify_password(b"our password 1234", &parsed)
                .is_ok()
        );
    }

    #[test]
    fn malformed_hash_is_an_error() {
        assert!(verify_password("x", "not a hash").is_err());
    }
}
