//! SHA-256 and HMAC-SHA256 for SigV4, from one of two libraries chosen by features.
//!
//! With the built-in HTTPS client (`default-https-client`), rustls already compiles `ring` for TLS,
//! so signing uses `ring` too and adds no crate to the build: RustCrypto's `sha2` and `hmac` would
//! bring ten more (digest, block-buffer, hybrid-array, typenum, ...) for the same four functions.
//! Without that client no TLS library is built, and asking a crate that brings its own HTTP client
//! to compile ring's C and assembly for a few hashes would be a poor trade (and would need a C
//! compiler for the target): then the `rust-crypto` feature supplies the pure-Rust `sha2` and `hmac`.
//! With both, `ring` is used. With neither, the crate does not compile, and says which to turn on.
//!
//! Both libraries pick the CPU's SHA instructions at run time where it has them.

#[cfg(not(any(feature = "ring", feature = "rust-crypto")))]
compile_error!(
    "smithy-lite-runtime needs SHA-256 for SigV4: enable the `default-https-client` feature (ring, which \
     TLS uses too) or, without the built-in HTTPS client, the `rust-crypto` feature (RustCrypto's sha2 and hmac)"
);

/// The length of a SHA-256 digest and of an HMAC-SHA256 tag.
pub const DIGEST_LEN: usize = 32;

#[cfg(feature = "ring")]
mod backend {
    use super::DIGEST_LEN;

    /// An incremental SHA-256.
    #[derive(Clone)]
    pub struct Sha256(ring::digest::Context);

    impl Sha256 {
        #[inline]
        pub fn new() -> Self {
            Sha256(ring::digest::Context::new(&ring::digest::SHA256))
        }

        #[inline]
        pub fn update(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }

        #[inline]
        pub fn finish(self) -> [u8; DIGEST_LEN] {
            to_array(self.0.finish().as_ref())
        }
    }

    /// An HMAC-SHA256 key with its pads already hashed, so each message costs only its own blocks.
    #[derive(Clone)]
    pub struct HmacKey(ring::hmac::Key);

    impl HmacKey {
        #[inline]
        pub fn new(key: &[u8]) -> Self {
            HmacKey(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key))
        }

        /// An incremental HMAC under this key.
        #[inline]
        pub fn start(&self) -> Hmac {
            Hmac(ring::hmac::Context::with_key(&self.0))
        }
    }

    /// An incremental HMAC-SHA256.
    pub struct Hmac(ring::hmac::Context);

    impl Hmac {
        #[inline]
        pub fn update(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }

        #[inline]
        pub fn finish(self) -> [u8; DIGEST_LEN] {
            to_array(self.0.sign().as_ref())
        }
    }

    /// Both of ring's outputs here are SHA-256 sized, so this always copies all 32 bytes.
    #[inline]
    fn to_array(bytes: &[u8]) -> [u8; DIGEST_LEN] {
        let mut out = [0u8; DIGEST_LEN];
        let n = bytes.len().min(DIGEST_LEN);
        out[..n].copy_from_slice(&bytes[..n]);
        out
    }
}

#[cfg(all(feature = "rust-crypto", not(feature = "ring")))]
mod backend {
    use super::DIGEST_LEN;
    use hmac::{KeyInit, Mac};
    use sha2::Digest;

    /// An incremental SHA-256.
    #[derive(Clone)]
    pub struct Sha256(sha2::Sha256);

    impl Sha256 {
        #[inline]
        pub fn new() -> Self {
            Sha256(sha2::Sha256::new())
        }

        #[inline]
        pub fn update(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }

        #[inline]
        pub fn finish(self) -> [u8; DIGEST_LEN] {
            self.0.finalize().into()
        }
    }

    /// An HMAC-SHA256 key with its pads already hashed, so each message costs only its own blocks.
    #[derive(Clone)]
    pub struct HmacKey(hmac::Hmac<sha2::Sha256>);

    impl HmacKey {
        #[inline]
        pub fn new(key: &[u8]) -> Self {
            // HMAC is defined for keys of every length (long keys are hashed, short ones padded), and
            // the hmac crate documents `new_from_slice` as never failing for it.
            HmacKey(
                <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length"),
            )
        }

        /// An incremental HMAC under this key.
        #[inline]
        pub fn start(&self) -> Hmac {
            Hmac(self.0.clone())
        }
    }

    /// An incremental HMAC-SHA256.
    pub struct Hmac(hmac::Hmac<sha2::Sha256>);

    impl Hmac {
        #[inline]
        pub fn update(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }

        #[inline]
        pub fn finish(self) -> [u8; DIGEST_LEN] {
            self.0.finalize().into_bytes().into()
        }
    }
}

#[cfg(any(feature = "ring", feature = "rust-crypto"))]
pub use backend::{Hmac, HmacKey, Sha256};

/// SHA-256 of `data`.
#[cfg(any(feature = "ring", feature = "rust-crypto"))]
#[inline]
pub fn sha256(data: &[u8]) -> [u8; DIGEST_LEN] {
    let mut hash = Sha256::new();
    hash.update(data);
    hash.finish()
}

/// HMAC-SHA256 of `data` under `key`.
#[cfg(any(feature = "ring", feature = "rust-crypto"))]
#[inline]
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; DIGEST_LEN] {
    let mut mac = HmacKey::new(key).start();
    mac.update(data);
    mac.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// FIPS 180-2's examples, one of them spanning two blocks and fed in pieces.
    #[test]
    fn sha256_matches_the_standards_examples() {
        assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let mut pieces = Sha256::new();
        for piece in ["abcdbcdecdefdefgefghfghighijhijk", "ijkljklmklmnlmnomnopnopq"] {
            pieces.update(piece.as_bytes());
        }
        assert_eq!(hex(&pieces.finish()), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    /// RFC 4231's test cases 2 (a short key) and 6 (a key longer than a block, which is hashed first).
    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let key = [0xaa_u8; 131];
        assert_eq!(
            hex(&hmac_sha256(&key, b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// A key started many times gives the same tag each time: the cached key is not consumed.
    #[test]
    fn one_key_signs_many_messages() {
        let key = HmacKey::new(b"Jefe");
        for _ in 0..3 {
            let mut mac = key.start();
            mac.update(b"what do ya want ");
            mac.update(b"for nothing?");
            assert_eq!(hex(&mac.finish()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        }
    }
}
