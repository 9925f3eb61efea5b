//! Private keys as Sprig handles them: generated (`genPrivateKey`, the
//! RSA-2048 keys of the `gen*` certificates), parsed from PEM
//! (`parsePrivateKeyPEM`: PKCS#1, SEC 1, PKCS#8 and OpenSSL's DSA form),
//! written back out in Go's `pemBlockForKey` forms, and used to sign.
//!
//! RSA, ECDSA and Ed25519 go through `aws-lc-rs`; DSA parameters come from
//! the RustCrypto `dsa` crate, since no other maintained Rust library
//! generates them. As in Go, a DSA key can be generated and parsed but not
//! used to sign a certificate.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1_SIGNING, ECDSA_P384_SHA384_ASN1_SIGNING, ECDSA_P521_SHA512_ASN1_SIGNING,
    EcdsaKeyPair, EcdsaSigningAlgorithm, Ed25519KeyPair, KeyPair as _, RSA_PKCS1_SHA256,
};

use super::der::{self, Reader};
use super::pem;

const OID_RSA: &[u64] = &[1, 2, 840, 113_549, 1, 1, 1];
const OID_EC_PUBLIC_KEY: &[u64] = &[1, 2, 840, 10_045, 2, 1];
const OID_ED25519: &[u64] = &[1, 3, 101, 112];
const OID_X25519: &[u64] = &[1, 3, 101, 110];
const OID_P224: &[u64] = &[1, 3, 132, 0, 33];
const OID_P256: &[u64] = &[1, 2, 840, 10_045, 3, 1, 7];
const OID_P384: &[u64] = &[1, 3, 132, 0, 34];
const OID_P521: &[u64] = &[1, 3, 132, 0, 35];

/// The elliptic curves Go's `crypto/x509` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Curve {
    P224,
    P256,
    P384,
    P521,
}

impl Curve {
    fn from_oid(oid: &[u8]) -> Option<Curve> {
        let is = |arcs: &[u64]| der::oid(arcs).get(2..) == Some(oid);
        if is(OID_P256) {
            Some(Curve::P256)
        } else if is(OID_P384) {
            Some(Curve::P384)
        } else if is(OID_P521) {
            Some(Curve::P521)
        } else if is(OID_P224) {
            Some(Curve::P224)
        } else {
            None
        }
    }

    fn signing(self) -> Option<&'static EcdsaSigningAlgorithm> {
        match self {
            Curve::P256 => Some(&ECDSA_P256_SHA256_ASN1_SIGNING),
            Curve::P384 => Some(&ECDSA_P384_SHA384_ASN1_SIGNING),
            Curve::P521 => Some(&ECDSA_P521_SHA512_ASN1_SIGNING),
            // aws-lc-rs does not sign with P-224.
            Curve::P224 => None,
        }
    }

    /// The ECDSA signature algorithm Go picks for the curve's key size.
    fn signature_oid(self) -> &'static [u64] {
        match self {
            Curve::P224 | Curve::P256 => &[1, 2, 840, 10_045, 4, 3, 2],
            Curve::P384 => &[1, 2, 840, 10_045, 4, 3, 3],
            Curve::P521 => &[1, 2, 840, 10_045, 4, 3, 4],
        }
    }
}

/// A private key of one of the kinds Sprig accepts.
pub(crate) enum PrivateKey {
    /// The PKCS#1 `RSAPrivateKey` DER and the key.
    Rsa { pkcs1: Vec<u8>, pair: RsaKeyPair },
    /// The SEC 1 `ECPrivateKey` DER, the curve and (for curves we can sign
    /// with) the key.
    Ecdsa {
        sec1: Vec<u8>,
        curve: Curve,
        pair: Option<EcdsaKeyPair>,
    },
    /// The PKCS#8 DER (as Go writes it) and the key.
    Ed25519 {
        pkcs8: Vec<u8>,
        pair: Ed25519KeyPair,
    },
    /// OpenSSL's `DSA PRIVATE KEY` DER.
    Dsa { der: Vec<u8> },
}

fn unspecified<E>(_: E) -> String {
    "crypto: key operation failed".to_owned()
}

/// The parts of a PKCS#8 `PrivateKeyInfo`.
struct Pkcs8<'a> {
    /// The algorithm OID's contents.
    oid: Vec<u8>,
    /// The algorithm parameters' whole encoding, if present.
    params: Option<Vec<u8>>,
    /// The private key octets.
    key: &'a [u8],
}

/// Split a PKCS#8 document into its parts.
fn pkcs8_parts(der: &[u8]) -> Option<Pkcs8<'_>> {
    let top = Reader::new(der).next(der::SEQUENCE)?;
    let mut r = top.children();
    r.small_int()?;
    let alg = r.next(der::SEQUENCE)?;
    let mut a = alg.children();
    let oid = a.next(der::OID)?.content.to_vec();
    let params = a.next_any().map(|e| e.raw.to_vec());
    let key = r.next(der::OCTET_STRING)?.content;
    Some(Pkcs8 { oid, params, key })
}

fn oid_is(content: &[u8], arcs: &[u64]) -> bool {
    der::oid(arcs).get(2..) == Some(content)
}

/// Dotted form of an OID's contents, as Go prints `asn1.ObjectIdentifier`.
fn dotted(content: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut v: u64 = 0;
    for &b in content {
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (v / 40).min(2);
                arcs.push(first);
                arcs.push(v - first * 40);
            } else {
                arcs.push(v);
            }
            v = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The message Go's `encoding/asn1` gives when `data` does not start with
/// the SEQUENCE a struct needs (the usual failure for garbage input), or a
/// generic structure error for damage further in.
fn asn1_error(data: &[u8], type_name: &str) -> String {
    if data.is_empty() {
        return "asn1: syntax error: sequence truncated".to_owned();
    }
    let b = data[0];
    let (class, compound, tag) = (b >> 6, b & 0x20 != 0, b & 0x1f);
    let Some(&lb) = data.get(1) else {
        return "asn1: syntax error: data truncated".to_owned();
    };
    let (length, offset) = if lb & 0x80 == 0 {
        (usize::from(lb), 2)
    } else {
        let n = usize::from(lb & 0x7f);
        match data.get(2..2 + n) {
            Some(bytes) if n > 0 && n <= 8 => (
                bytes.iter().fold(0usize, |acc, &x| {
                    acc.wrapping_mul(256).wrapping_add(usize::from(x))
                }),
                2 + n,
            ),
            _ => return "asn1: syntax error: data truncated".to_owned(),
        }
    };
    if tag == 0x1f || class != 0 || tag != 16 || !compound {
        return format!(
            "asn1: structure error: tags don't match (16 vs {{class:{class} tag:{tag} length:{length} isCompound:{compound}}}) \
             {{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 \
             timeType:0 set:false omitEmpty:false}} {type_name} @{offset}"
        );
    }
    if data.len() < offset + length {
        return "asn1: syntax error: data truncated".to_owned();
    }
    "asn1: structure error: malformed data".to_owned()
}

fn rsa_from_pkcs1(der: &[u8]) -> Result<PrivateKey, String> {
    // version, n, e, d, p, q (the CRT values are optional to Go).
    let structural_ok = Reader::new(der).next(der::SEQUENCE).is_some_and(|s| {
        let mut r = s.children();
        (0..6).all(|_| r.next(der::INTEGER).is_some())
    });
    if !structural_ok {
        // Go points at the right parser when the DER is another key form.
        if ec_parts(der).is_some() {
            return Err(
                "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
                    .to_owned(),
            );
        }
        if pkcs8_parts(der).is_some() {
            return Err(
                "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"
                    .to_owned(),
            );
        }
        return Err(asn1_error(der, "pkcs1PrivateKey"));
    }
    let pair = RsaKeyPair::from_der(der)
        .map_err(|e| format!("crypto/rsa: invalid or unsupported key ({e})"))?;
    Ok(PrivateKey::Rsa {
        pkcs1: der.to_vec(),
        pair,
    })
}

/// The private scalar and curve OID of a SEC 1 `ECPrivateKey`.
fn ec_parts(der: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let top = Reader::new(der).next(der::SEQUENCE)?;
    let mut r = top.children();
    if r.small_int()? != 1 {
        return None;
    }
    let key = r.next(der::OCTET_STRING)?.content.to_vec();
    let curve = r
        .optional(0xa0)
        .and_then(|p| p.children().next(der::OID))
        .map(|o| o.content.to_vec());
    Some((key, curve))
}

/// Go's `parseECPrivateKey` (with the curve from PKCS#8 parameters, if
/// any), re-encoded the way `MarshalECPrivateKey` writes it.
fn ec_from_sec1(der: &[u8], named_curve: Option<&[u8]>) -> Result<PrivateKey, String> {
    let Some((_, own_curve)) = ec_parts(der) else {
        let version_ok = Reader::new(der)
            .next(der::SEQUENCE)
            .and_then(|s| s.children().small_int());
        return Err(match version_ok {
            Some(v) if v != 1 => format!("x509: unknown EC private key version {v}"),
            _ => format!(
                "x509: failed to parse EC private key: {}",
                asn1_error(der, "ecPrivateKey")
            ),
        });
    };
    let curve_oid = named_curve.map(<[u8]>::to_vec).or(own_curve);
    let Some(curve) = curve_oid.as_deref().and_then(Curve::from_oid) else {
        return Err("x509: unknown elliptic curve".to_owned());
    };
    let Some(alg) = curve.signing() else {
        return Err("x509: P-224 keys are not supported".to_owned());
    };
    let pair = EcdsaKeyPair::from_private_key_der(alg, der)
        .map_err(|_| "x509: invalid elliptic curve private key value".to_owned())?;
    let sec1 = pair
        .private_key()
        .as_der()
        .map_err(unspecified)?
        .as_ref()
        .to_vec();
    Ok(PrivateKey::Ecdsa {
        sec1,
        curve,
        pair: Some(pair),
    })
}

/// Go's `ParsePKCS8PrivateKey`.
fn from_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let Some(Pkcs8 { oid, params, key }) = pkcs8_parts(der) else {
        return Err(asn1_error(der, "pkcs8"));
    };
    if oid_is(&oid, OID_RSA) {
        return rsa_from_pkcs1(key)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}"));
    }
    if oid_is(&oid, OID_EC_PUBLIC_KEY) {
        let named = params
            .as_deref()
            .and_then(|p| Reader::new(p).next(der::OID))
            .map(|o| o.content.to_vec());
        return ec_from_sec1(key, named.as_deref())
            .map_err(|e| format!("x509: failed to parse EC private key embedded in PKCS#8: {e}"));
    }
    if oid_is(&oid, OID_ED25519) {
        if params.is_some() {
            return Err("x509: invalid Ed25519 private key parameters".to_owned());
        }
        let seed = Reader::new(key)
            .next(der::OCTET_STRING)
            .ok_or_else(|| format!("x509: invalid Ed25519 private key: {}", asn1_error(key, "")))?;
        if seed.content.len() != 32 {
            return Err(format!(
                "x509: invalid Ed25519 private key length: {}",
                seed.content.len()
            ));
        }
        let pair = Ed25519KeyPair::from_seed_unchecked(seed.content).map_err(unspecified)?;
        let pkcs8 = pair.to_pkcs8v1().map_err(unspecified)?.as_ref().to_vec();
        return Ok(PrivateKey::Ed25519 { pkcs8, pair });
    }
    if oid_is(&oid, OID_X25519) {
        return Err("x509: X25519 keys are not supported".to_owned());
    }
    Err(format!(
        "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
        dotted(&oid)
    ))
}

fn dsa_from_der(der: &[u8]) -> Result<PrivateKey, String> {
    let ok = Reader::new(der).next(der::SEQUENCE).is_some_and(|s| {
        let mut r = s.children();
        r.next(der::INTEGER).is_some() && (0..5).all(|_| r.next(der::INTEGER).is_some())
    });
    if !ok {
        return Err(asn1_error(der, "DSAKeyFormat"));
    }
    Ok(PrivateKey::Dsa { der: der.to_vec() })
}

/// Sprig's `parsePrivateKeyPEM`.
pub(crate) fn parse_pem(text: &str) -> Result<PrivateKey, String> {
    let block = pem::decode(text.as_bytes()).ok_or_else(|| "no PEM data in input".to_owned())?;
    if block.kind == "PRIVATE KEY" {
        return from_pkcs8(&block.bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = block.kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!(
            "no private key data in PEM block of type {}",
            block.kind
        ));
    };
    match prefix {
        "RSA" => rsa_from_pkcs1(&block.bytes)
            .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
        "EC" => ec_from_sec1(&block.bytes, None)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => {
            dsa_from_der(&block.bytes).map_err(|e| format!("parsing DSA private key from PEM: {e}"))
        }
        _ => Err(format!("invalid private key type {}", block.kind)),
    }
}

/// A new RSA key of `bits` (2048 or 4096).
pub(crate) fn generate_rsa(bits: u32) -> Result<PrivateKey, String> {
    let size = if bits == 4096 {
        KeySize::Rsa4096
    } else {
        KeySize::Rsa2048
    };
    let pair = RsaKeyPair::generate(size).map_err(|e| format!("crypto/rsa: {e}"))?;
    let pkcs8 = pair.as_der().map_err(unspecified)?;
    let parts = pkcs8_parts(pkcs8.as_ref()).ok_or_else(|| unspecified(()))?;
    Ok(PrivateKey::Rsa {
        pkcs1: parts.key.to_vec(),
        pair,
    })
}

/// A new P-256 ECDSA key.
pub(crate) fn generate_ecdsa() -> Result<PrivateKey, String> {
    let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_ASN1_SIGNING).map_err(unspecified)?;
    let sec1 = pair
        .private_key()
        .as_der()
        .map_err(unspecified)?
        .as_ref()
        .to_vec();
    Ok(PrivateKey::Ecdsa {
        sec1,
        curve: Curve::P256,
        pair: Some(pair),
    })
}

/// A new Ed25519 key.
pub(crate) fn generate_ed25519() -> Result<PrivateKey, String> {
    let pair = Ed25519KeyPair::generate().map_err(unspecified)?;
    let pkcs8 = pair.to_pkcs8v1().map_err(unspecified)?.as_ref().to_vec();
    Ok(PrivateKey::Ed25519 { pkcs8, pair })
}

/// A new DSA key with fresh L2048N256 parameters (slow, as in Go).
pub(crate) fn generate_dsa() -> Result<PrivateKey, String> {
    let mut rng = getrandom::SysRng;
    let components =
        dsa::Components::try_generate_from_rng_with_key_size(&mut rng, dsa::KeySize::DSA_2048_256)
            .map_err(|e| format!("failed to generate dsa params: {e}"))?;
    let key = dsa::SigningKey::try_generate_from_rng_with_components(&mut rng, components)
        .map_err(|e| format!("failed to generate private key: {e}"))?;
    let vk = key.verifying_key();
    let c = vk.components();
    let der = der::seq(&[
        &der::int(0),
        &der::uint(&c.p().to_be_bytes()),
        &der::uint(&c.q().to_be_bytes()),
        &der::uint(&c.g().to_be_bytes()),
        &der::uint(&vk.y().to_be_bytes()),
        &der::uint(&key.x().to_be_bytes()),
    ]);
    Ok(PrivateKey::Dsa { der })
}

impl PrivateKey {
    /// Sprig's `pemBlockForKey`, encoded.
    pub(crate) fn to_pem(&self) -> String {
        match self {
            PrivateKey::Rsa { pkcs1, .. } => pem::encode("RSA PRIVATE KEY", pkcs1),
            PrivateKey::Ecdsa { sec1, .. } => pem::encode("EC PRIVATE KEY", sec1),
            PrivateKey::Ed25519 { pkcs8, .. } => pem::encode("PRIVATE KEY", pkcs8),
            PrivateKey::Dsa { der } => pem::encode("DSA PRIVATE KEY", der),
        }
    }

    /// Go's name for the key's public-key type, as `%T` prints it.
    pub(crate) fn public_type_name(&self) -> &'static str {
        match self {
            PrivateKey::Rsa { .. } => "*rsa.PublicKey",
            PrivateKey::Ecdsa { .. } => "*ecdsa.PublicKey",
            PrivateKey::Ed25519 { .. } => "ed25519.PublicKey",
            PrivateKey::Dsa { .. } => "*dsa.PublicKey",
        }
    }

    /// The `SubjectPublicKeyInfo` DER, or Go's `marshalPublicKey` error.
    pub(crate) fn spki(&self) -> Result<Vec<u8>, String> {
        let unsupported = || {
            format!(
                "x509: unsupported public key type: {}",
                self.public_type_name()
            )
        };
        match self {
            PrivateKey::Rsa { pair, .. } => pair
                .public_key()
                .as_der()
                .map(|d| d.as_ref().to_vec())
                .map_err(unspecified),
            PrivateKey::Ecdsa { pair: Some(p), .. } => p
                .public_key()
                .as_der()
                .map(|d| d.as_ref().to_vec())
                .map_err(unspecified),
            PrivateKey::Ed25519 { pair, .. } => pair
                .public_key()
                .as_der()
                .map(|d| d.as_ref().to_vec())
                .map_err(unspecified),
            PrivateKey::Ecdsa { pair: None, .. } | PrivateKey::Dsa { .. } => Err(unsupported()),
        }
    }

    /// The signature `AlgorithmIdentifier` Go uses for this signing key, or
    /// its error when the key cannot sign.
    pub(crate) fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa { .. } => Ok(der::seq(&[
                &der::oid(&[1, 2, 840, 113_549, 1, 1, 11]),
                &der::tlv(der::NULL, &[]),
            ])),
            PrivateKey::Ecdsa { curve, .. } => Ok(der::seq(&[&der::oid(curve.signature_oid())])),
            PrivateKey::Ed25519 { .. } => Ok(der::seq(&[&der::oid(OID_ED25519)])),
            PrivateKey::Dsa { .. } => {
                Err("x509: certificate private key does not implement crypto.Signer".to_owned())
            }
        }
    }

    /// Sign `msg` with the algorithm of [`PrivateKey::signature_algorithm`].
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, String> {
        let rng = SystemRandom::new();
        match self {
            PrivateKey::Rsa { pair, .. } => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, msg, &mut sig)
                    .map_err(|e| format!("crypto/rsa: {e}"))?;
                Ok(sig)
            }
            PrivateKey::Ecdsa { pair: Some(p), .. } => p
                .sign(&rng, msg)
                .map(|s| s.as_ref().to_vec())
                .map_err(|e| format!("crypto/ecdsa: {e}")),
            PrivateKey::Ed25519 { pair, .. } => Ok(pair.sign(msg).as_ref().to_vec()),
            PrivateKey::Ecdsa { pair: None, .. } | PrivateKey::Dsa { .. } => {
                Err("x509: certificate private key does not implement crypto.Signer".to_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_errors_follow_go() {
        let e = parse_pem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
            .err();
        assert_eq!(
            e.as_deref(),
            Some(
                "parsing RSA private key from PEM: asn1: structure error: tags don't match (16 vs {class:0 tag:0 length:0 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs1PrivateKey @2"
            )
        );
        assert_eq!(
            parse_pem("nope").err().as_deref(),
            Some("no PEM data in input")
        );
        assert_eq!(
            parse_pem("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n")
                .err()
                .as_deref(),
            Some("no private key data in PEM block of type FOO")
        );
        assert_eq!(
            dotted(&der::oid(&[1, 2, 840, 113_549, 1, 1, 1])[2..]),
            "1.2.840.113549.1.1.1"
        );
    }

    #[test]
    fn generated_keys_round_trip() {
        for key in [generate_ecdsa(), generate_ed25519()] {
            let key = key.unwrap_or_else(|e| unreachable!("{e}"));
            let pem_text = key.to_pem();
            let again = parse_pem(&pem_text).unwrap_or_else(|e| unreachable!("{e}"));
            assert_eq!(again.to_pem(), pem_text);
            assert!(again.spki().is_ok());
            assert!(!again.sign(b"msg").unwrap_or_default().is_empty());
        }
    }
}
