//! Password hashing: argon2id with a random salt, stored as a PHC string.
//!
//! Each argon2 run needs its memory cost in RAM (19 MiB by default). At most one
//! run per CPU happens at a time, so a flood of logins costs CPU time, not
//! unbounded memory; each run's buffer is given back when it ends, so the memory
//! is held only while logins are being checked (keeping the buffers for the next
//! run saved about a millisecond of a 20–30 ms hash and cost the server 38 MiB of
//! resident memory for good).

use std::sync::{Condvar, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use subtle::ConstantTimeEq;

/// How many runs are going on.
struct Slots {
    running: Mutex<usize>,
    freed: Condvar,
}

static SLOTS: Slots = Slots {
    running: Mutex::new(0),
    freed: Condvar::new(),
};

fn max_parallel() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Runs `f` with a buffer of `blocks` argon2 blocks, waiting for a free slot.
fn with_memory<R>(blocks: usize, f: impl FnOnce(&mut [Block]) -> R) -> R {
    {
        let mut running = SLOTS.running.lock().unwrap_or_else(|p| p.into_inner());
        while *running >= max_parallel() {
            running = SLOTS.freed.wait(running).unwrap_or_else(|p| p.into_inner());
        }
        *running += 1;
    }
    /// Frees the slot even if the hash panics.
    struct Release;
    impl Drop for Release {
        fn drop(&mut self) {
            let mut running = SLOTS.running.lock().unwrap_or_else(|p| p.into_inner());
            *running -= 1;
            SLOTS.freed.notify_one();
        }
    }
    let _release = Release;
    let mut buf = vec![Block::default(); blocks];
    f(&mut buf)
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let blocks = Params::default().block_count();
    with_memory(blocks, |_| {
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    })
}

/// Constant-time verification against a stored hash; false for any malformed hash.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (
        Params::try_from(&parsed),
        Algorithm::try_from(parsed.algorithm),
    ) else {
        return false;
    };
    let version = parsed
        .version
        .map(Version::try_from)
        .unwrap_or(Ok(Version::V0x13));
    let Ok(version) = version else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let expected = expected.as_bytes();
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    let ok = with_memory(blocks, |mem| {
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, mem)
            .is_ok()
    });
    ok && bool::from(out.as_slice().ct_eq(expected))
}

/// A random password of `len` characters from an unambiguous alphabet.
pub fn generate(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("s3cret").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("s3cret", &h));
        assert!(!verify("wrong", &h));
        assert!(!verify("s3cret", "garbage"));
        assert_eq!(generate(20).len(), 20);
    }
}
