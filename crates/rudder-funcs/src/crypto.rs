//! Sprig's crypto functions: `bcrypt`, `htpasswd`, `derivePassword`,
//! `genPrivateKey`, the certificate generators (`genCA`, `genCAWithKey`,
//! `genSelfSignedCert`, `genSelfSignedCertWithKey`, `genSignedCert`,
//! `genSignedCertWithKey`, `buildCustomCert`) and `encryptAES`/`decryptAES`.
//!
//! Output matches Sprig in every deterministic respect: key types and
//! sizes, PEM block types, certificate layout (see `cert`), error texts
//! for the failures templates run into, `derivePassword`'s Master
//! Password algorithm, and `encryptAES`'s AES-256-CBC format (so values
//! encrypted by Helm decrypt here and vice versa).
//!
//! Backends: `aws-lc-rs` for RSA/ECDSA/Ed25519 key generation and signing,
//! SHA-256, HMAC and AES (RSA key generation is where the pure-Rust
//! alternative, the `rsa` crate, is both slow and under an unfixed
//! advisory, and aws-lc-rs is what the HTTP stack will pull in anyway);
//! the RustCrypto `dsa` crate for DSA parameters; `scrypt` and `bcrypt`
//! for those algorithms. Known deviations: RSA keys outside 2048–8192
//! bits and P-224 or X25519 keys given to the `*WithKey` functions are
//! rejected (Go accepts them); the detail of parse errors for malformed
//! DER beyond the first element differs from Go's `encoding/asn1` texts;
//! results that are not UTF-8 (`decryptAES` of binary data,
//! `buildCustomCert` of non-UTF-8 PEM) have invalid bytes replaced.

mod cert;
mod der;
mod keys;
mod pem;

use std::net::IpAddr;

use aws_lc_rs::cipher::{
    AES_256, DecryptingKey, DecryptionContext, EncryptingKey, EncryptionContext, UnboundCipherKey,
};
use aws_lc_rs::hmac;
use aws_lc_rs::iv::FixedLength;
use rudder_template::{FuncError, FuncMap, Function};
use rudder_value::{ElemType, GoType, IntKind, Signature, Value};

use cert::{Certificate, Template};
use keys::PrivateKey;

pub(crate) use pem::base64_encode;

const S: GoType = GoType::String;
const INT: GoType = GoType::Int(IntKind::Int);
const LIST: GoType = GoType::List(ElemType::Any);
const CERT: GoType = GoType::Object("sprig.certificate");

pub(crate) fn register(m: &mut FuncMap) {
    m.insert(
        "bcrypt",
        Function::new(Signature::new(vec![S]), |_, args| {
            Ok(Value::string(bcrypt(str_arg(&args, 0))))
        }),
    );
    m.insert(
        "htpasswd",
        Function::new(Signature::new(vec![S, S]), |_, args| {
            let (user, pass) = (str_arg(&args, 0), str_arg(&args, 1));
            Ok(Value::string(if user.contains(':') {
                format!("invalid username: {user}")
            } else {
                format!("{user}:{}", bcrypt(pass))
            }))
        }),
    );
    m.insert(
        "derivePassword",
        Function::new(
            Signature::new(vec![GoType::Int(IntKind::Uint32), S, S, S, S]),
            |_, args| {
                let counter = args.first().and_then(Value::as_u64).unwrap_or(0) as u32;
                Ok(Value::string(derive_password(
                    counter,
                    str_arg(&args, 1),
                    str_arg(&args, 2),
                    str_arg(&args, 3),
                    str_arg(&args, 4),
                )))
            },
        ),
    );
    m.insert(
        "genPrivateKey",
        Function::new(Signature::new(vec![S]), |_, args| {
            let typ = str_arg(&args, 0);
            let key = match typ {
                "" | "rsa" => keys::generate_rsa(4096),
                "dsa" => match keys::generate_dsa() {
                    Ok(k) => Ok(k),
                    // The parameter step has its own message in Sprig.
                    Err(e) => return Ok(Value::string(e)),
                },
                "ecdsa" => keys::generate_ecdsa(),
                "ed25519" => keys::generate_ed25519(),
                _ => return Ok(Value::string(format!("Unknown type {typ}"))),
            };
            Ok(Value::string(match key {
                Ok(k) => k.to_pem(),
                Err(e) => format!("failed to generate private key: {e}"),
            }))
        }),
    );

    m.insert(
        "buildCustomCert",
        Function::new(Signature::new(vec![S, S]), |_, args| {
            build_custom_cert(str_arg(&args, 0), str_arg(&args, 1))
        }),
    );
    m.insert(
        "genCA",
        Function::new(Signature::new(vec![S, INT]), |_, args| {
            let key = new_rsa_2048()?;
            gen_ca(&args, key)
        }),
    );
    m.insert(
        "genCAWithKey",
        Function::new(Signature::new(vec![S, INT, S]), |_, args| {
            let key = key_arg(&args, 2)?;
            gen_ca(&args, key)
        }),
    );
    m.insert(
        "genSelfSignedCert",
        Function::new(Signature::new(vec![S, LIST, LIST, INT]), |_, args| {
            let key = new_rsa_2048()?;
            gen_self_signed(&args, key)
        }),
    );
    m.insert(
        "genSelfSignedCertWithKey",
        Function::new(Signature::new(vec![S, LIST, LIST, INT, S]), |_, args| {
            let key = key_arg(&args, 4)?;
            gen_self_signed(&args, key)
        }),
    );
    m.insert(
        "genSignedCert",
        Function::new(Signature::new(vec![S, LIST, LIST, INT, CERT]), |_, args| {
            let key = new_rsa_2048()?;
            gen_signed(&args, key)
        }),
    );
    m.insert(
        "genSignedCertWithKey",
        Function::new(
            Signature::new(vec![S, LIST, LIST, INT, CERT, S]),
            |_, args| {
                let key = key_arg(&args, 5)?;
                gen_signed(&args, key)
            },
        ),
    );

    m.insert(
        "encryptAES",
        Function::new(Signature::new(vec![S, S]), |_, args| {
            encrypt_aes(str_arg(&args, 0), str_arg(&args, 1)).map(Value::string)
        }),
    );
    m.insert(
        "decryptAES",
        Function::new(Signature::new(vec![S, S]), |_, args| {
            decrypt_aes(str_arg(&args, 0), str_arg(&args, 1)).map(Value::string)
        }),
    );
}

fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

fn int_arg(args: &[Value], i: usize) -> i64 {
    args.get(i).and_then(Value::as_i64).unwrap_or(0)
}

/// Go's `bcrypt.GenerateFromPassword(input, DefaultCost)`, as Sprig
/// reports its failure.
fn bcrypt(input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .to_owned();
    }
    match bcrypt::hash_with_result(input, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        b'x' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
        _ => b"",
    }
}

/// Sprig's `derivePassword`: the Master Password algorithm (scrypt key
/// from password and user, HMAC-SHA256 seed from site and counter, then
/// characters picked by a template).
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let seed = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), &msg);
    let seed = seed.as_ref();
    let pick = |i: usize| usize::from(seed.get(i).copied().unwrap_or(0));
    let template = templates
        .get(pick(0) % templates.len())
        .copied()
        .unwrap_or_default();
    template
        .bytes()
        .enumerate()
        .filter_map(|(i, c)| {
            let chars = template_chars(c);
            chars
                .get(pick(i + 1) % chars.len().max(1))
                .map(|&b| char::from(b))
        })
        .collect()
}

fn new_rsa_2048() -> Result<PrivateKey, FuncError> {
    keys::generate_rsa(2048).map_err(|e| FuncError::new(format!("error generating rsa key: {e}")))
}

fn key_arg(args: &[Value], i: usize) -> Result<PrivateKey, FuncError> {
    keys::parse_pem(str_arg(args, i))
        .map_err(|e| FuncError::new(format!("parsing private key: {e}")))
}

fn cert_value(cert_der: &[u8], key: &PrivateKey) -> Value {
    Value::object(Certificate {
        cert: pem::encode("CERTIFICATE", cert_der),
        key: key.to_pem(),
    })
}

fn create_error(e: String) -> FuncError {
    FuncError::new(format!("error creating certificate: {e}"))
}

/// Sprig's `getNetIPs` and `getAlternateDNSStrs`, with their errors.
fn template_from(args: &[Value], is_ca: bool) -> Result<Template, FuncError> {
    let list = |i: usize| {
        args.get(i)
            .and_then(Value::as_list)
            .map(|l| l.items().to_vec())
            .unwrap_or_default()
    };
    let mut ips = Vec::new();
    if !is_ca {
        for v in list(1) {
            let Value::Str(s) = &v else {
                return Err(FuncError::new(format!(
                    "error parsing ip: {} is not a string",
                    rudder_value::fmt::format_v(&v)
                )));
            };
            let ip: IpAddr = s
                .parse()
                .map_err(|_| FuncError::new(format!("error parsing ip: {s}")))?;
            ips.push(ip);
        }
    }
    let mut dns = Vec::new();
    if !is_ca {
        for v in list(2) {
            let Value::Str(s) = &v else {
                return Err(FuncError::new(format!(
                    "error processing alternate dns name: {} is not a string",
                    rudder_value::fmt::format_v(&v)
                )));
            };
            dns.push(s.to_string());
        }
    }
    Ok(Template {
        cn: str_arg(args, 0).to_owned(),
        ips,
        dns,
        days: int_arg(args, if is_ca { 1 } else { 3 }),
        is_ca,
    })
}

fn gen_ca(args: &[Value], key: PrivateKey) -> Result<Value, FuncError> {
    let template = template_from(args, true)?;
    let der = cert::create(&template, &key, None, &key).map_err(create_error)?;
    Ok(cert_value(&der, &key))
}

fn gen_self_signed(args: &[Value], key: PrivateKey) -> Result<Value, FuncError> {
    let template = template_from(args, false)?;
    let der = cert::create(&template, &key, None, &key).map_err(create_error)?;
    Ok(cert_value(&der, &key))
}

fn gen_signed(args: &[Value], key: PrivateKey) -> Result<Value, FuncError> {
    let ca = args
        .get(4)
        .and_then(|v| v.downcast::<Certificate>())
        .cloned()
        .ok_or_else(|| FuncError::new("wrong type for value; expected sprig.certificate"))?;
    let issuer = cert::parse_pem(&ca.cert, "decodedSignerCert.Bytes").map_err(FuncError::new)?;
    let signer = keys::parse_pem(&ca.key)
        .map_err(|e| FuncError::new(format!("error parsing private key: {e}")))?;
    let template = template_from(args, false)?;
    let der = cert::create(&template, &key, Some(&issuer), &signer).map_err(create_error)?;
    Ok(cert_value(&der, &key))
}

/// Sprig's `buildCustomCertificate`: validate a base64 PEM certificate and
/// key and return them as given.
fn build_custom_cert(b64cert: &str, b64key: &str) -> Result<Value, FuncError> {
    let cert = pem::base64_decode(b64cert.as_bytes())
        .map_err(|_| FuncError::new("unable to decode base64 certificate"))?;
    let key = pem::base64_decode(b64key.as_bytes())
        .map_err(|_| FuncError::new("unable to decode base64 private key"))?;
    let block = pem::decode(&cert).ok_or_else(|| FuncError::new("unable to decode certificate"))?;
    cert::parse(&block.bytes).map_err(|e| {
        FuncError::new(format!("error parsing certificate: decodedCert.Bytes: {e}"))
    })?;
    let key = String::from_utf8_lossy(&key).into_owned();
    keys::parse_pem(&key).map_err(|e| FuncError::new(format!("error parsing private key: {e}")))?;
    Ok(Value::object(Certificate {
        cert: String::from_utf8_lossy(&cert).into_owned(),
        key,
    }))
}

/// The AES-256 key Sprig derives from a password: its bytes, zero-padded
/// or cut to 32.
fn aes_key(password: &str) -> Result<UnboundCipherKey, FuncError> {
    let mut key = [0u8; 32];
    for (k, b) in key.iter_mut().zip(password.bytes()) {
        *k = b;
    }
    UnboundCipherKey::new(&AES_256, &key).map_err(|e| FuncError::new(format!("crypto/aes: {e}")))
}

/// Sprig's `encryptAES`: base64 of a random IV followed by the AES-256-CBC
/// ciphertext of the PKCS#7-padded text.
fn encrypt_aes(password: &str, plaintext: &str) -> Result<String, FuncError> {
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let key = EncryptingKey::cbc(aes_key(password)?)
        .map_err(|e| FuncError::new(format!("crypto/aes: {e}")))?;
    let pad = 16 - plaintext.len() % 16;
    let mut iv = [0u8; 16];
    crate::random::fill(&mut iv)?;
    let mut body = plaintext.as_bytes().to_vec();
    body.extend(std::iter::repeat_n(pad as u8, pad));
    key.less_safe_encrypt(&mut body, EncryptionContext::Iv128(FixedLength::from(iv)))
        .map_err(|e| FuncError::new(format!("crypto/cipher: {e}")))?;
    let mut out = iv.to_vec();
    out.extend(body);
    Ok(base64_encode(&out))
}

/// Sprig's `decryptAES`, with the errors its slicing panics give in Go
/// (the padding is not validated, only cut off).
fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, FuncError> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = pem::base64_decode(crypt64.as_bytes())
        .map_err(|at| FuncError::new(format!("illegal base64 data at input byte {at}")))?;
    let key = aes_key(password)?;
    if crypt.len() < 16 {
        // The buffer Go decodes into has DecodedLen capacity.
        return Err(FuncError::new(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt64.len() / 4 * 3
        )));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err(FuncError::new("crypto/cipher: input not full blocks"));
    }
    let mut body = body.to_vec();
    if !body.is_empty() {
        let mut iv16 = [0u8; 16];
        iv16.copy_from_slice(iv);
        let key =
            DecryptingKey::cbc(key).map_err(|e| FuncError::new(format!("crypto/aes: {e}")))?;
        key.decrypt(&mut body, DecryptionContext::Iv128(FixedLength::from(iv16)))
            .map_err(|e| FuncError::new(format!("crypto/cipher: {e}")))?;
    }
    let Some(&last) = body.last() else {
        return Err(FuncError::new("runtime error: index out of range [-1]"));
    };
    let keep = body.len() as i64 - i64::from(last);
    if keep < 0 {
        return Err(FuncError::new(format!(
            "runtime error: slice bounds out of range [:{keep}]"
        )));
    }
    body.truncate(keep as usize);
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_round_trip_and_errors() {
        for text in ["x", "exactly sixteen!", "a longer text that spans blocks ✓"] {
            let enc = encrypt_aes("secret", text).unwrap_or_default();
            assert_eq!(decrypt_aes("secret", &enc).ok().as_deref(), Some(text));
        }
        assert_eq!(encrypt_aes("k", "").ok().as_deref(), Some(""));
        let msg = |r: Result<String, FuncError>| r.err().map(|e| e.message());
        assert_eq!(
            msg(decrypt_aes("k", "abc")).as_deref(),
            Some("illegal base64 data at input byte 0")
        );
        assert_eq!(
            msg(decrypt_aes("k", "YWJj")).as_deref(),
            Some("runtime error: slice bounds out of range [:16] with capacity 3")
        );
        assert_eq!(
            msg(decrypt_aes("k", "AAAAAAAAAAAAAAAAAAAAAA==")).as_deref(),
            Some("runtime error: index out of range [-1]")
        );
    }

    /// A deterministic xorshift stream for the no-panic checks.
    fn noise(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed | 1;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    #[test]
    fn parsers_survive_garbage_and_mutations() {
        let mut next = noise(0x5eed);
        let key = keys::generate_ecdsa()
            .map(|k| k.to_pem())
            .unwrap_or_default();
        let seeds: Vec<Vec<u8>> = vec![
            key.clone().into_bytes(),
            pem::decode(key.as_bytes())
                .map(|b| b.bytes)
                .unwrap_or_default(),
            b"-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n".to_vec(),
        ];
        for round in 0..3000 {
            let mut data = seeds[round % seeds.len()].clone();
            for _ in 0..(next() % 6) {
                if data.is_empty() {
                    break;
                }
                let i = (next() as usize) % data.len();
                match next() % 3 {
                    0 => data[i] = next() as u8,
                    1 => data.truncate(i),
                    _ => data.insert(i, next() as u8),
                }
            }
            let text = String::from_utf8_lossy(&data).into_owned();
            let _ = pem::decode(&data);
            let _ = pem::base64_decode(&data);
            let _ = keys::parse_pem(&text);
            let _ = cert::parse(&data);
            let _ = cert::parse_pem(&text, "x");
            let _ = der::Reader::new(&data).next_any();
            let _ = decrypt_aes("k", &text);
            let _ = build_custom_cert(
                &pem::base64_encode(&data),
                &pem::base64_encode(key.as_bytes()),
            );
        }
    }

    #[test]
    fn htpasswd_style_bcrypt() {
        let h = bcrypt("pw");
        assert!(h.starts_with("$2a$10$"), "{h}");
        assert_eq!(h.len(), 60);
        assert!(bcrypt::verify("pw", &h).unwrap_or(false));
        assert!(bcrypt(&"a".repeat(73)).contains("exceeds 72 bytes"));
    }
}
