//! Sprig's crypto functions: the oracle's golden cases
//! (`tests/data/crypto.json`: derivePassword, decryptAES of Helm-made
//! ciphertexts, re-encoded keys, error texts), and shape checks of what is
//! random: generated keys (type, size, DSA parameters), certificates
//! (every field and extension Go writes, parsed with `x509-parser`, and
//! signatures verified), bcrypt hashes and AES round trips.

mod date_harness;

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1, ED25519, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey,
    VerificationAlgorithm,
};
use date_harness::{ok, render, run_golden};
use num_bigint::BigUint;
use x509_parser::der_parser::ber::BerObjectContent;
use x509_parser::der_parser::parse_der;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::pem::parse_x509_pem;
use x509_parser::prelude::{FromDer, X509Certificate};

#[test]
fn golden_cases() {
    assert!(run_golden("crypto.json") >= 90);
}

/// The label and DER of the single PEM block in `text`.
fn pem(text: &str) -> (String, Vec<u8>) {
    let (rest, p) = parse_x509_pem(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(rest.is_empty(), "trailing data after PEM: {rest:?}");
    (p.label, p.contents)
}

/// Render a template producing a certificate object; return its PEMs.
fn cert_and_key(template: &str) -> (String, String) {
    let out = ok(&format!(
        "{{{{ $c := {template} }}}}{{{{ $c.Cert }}}}@@{{{{ $c.Key }}}}"
    ));
    let (c, k) = out.split_once("@@").unwrap_or_else(|| panic!("{out}"));
    (c.to_owned(), k.to_owned())
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

const OID_RSA_SHA256: &str = "1.2.840.113549.1.1.11";
const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_ED25519: &str = "1.3.101.112";

/// Check a certificate against Sprig's profile; return its DER.
struct Expect<'a> {
    cn: &'a str,
    days: i64,
    is_ca: bool,
    dns: &'a [&'a str],
    ips: &'a [&'a [u8]],
    sig_oid: &'a str,
}

fn check_cert(cert_pem: &str, want: &Expect<'_>, issuer: Option<&X509Certificate<'_>>) -> Vec<u8> {
    let (label, der) = pem(cert_pem);
    assert_eq!(label, "CERTIFICATE");
    let (rest, c) = X509Certificate::from_der(&der).unwrap_or_else(|e| panic!("{e}"));
    assert!(rest.is_empty());
    assert_eq!(c.version().0, 2, "v3");
    let cns: Vec<_> = c
        .subject()
        .iter_common_name()
        .filter_map(|a| a.as_str().ok())
        .collect();
    if want.cn.is_empty() {
        assert!(c.subject().as_raw() == [0x30, 0], "empty subject");
    } else {
        assert_eq!(cns, vec![want.cn]);
    }
    match issuer {
        Some(i) => assert_eq!(c.issuer().as_raw(), i.subject().as_raw()),
        None => assert_eq!(c.issuer().as_raw(), c.subject().as_raw()),
    }
    let serial = &c.tbs_certificate.serial;
    assert!(serial.bits() <= 128, "serial {serial}");
    let nb = c.validity().not_before.timestamp();
    let na = c.validity().not_after.timestamp();
    assert!((nb - unix_now()).abs() <= 30, "not before {nb}");
    assert_eq!(na - nb, want.days * 86_400);
    assert_eq!(c.signature_algorithm.algorithm.to_id_string(), want.sig_oid);
    assert_eq!(
        c.tbs_certificate.signature.algorithm.to_id_string(),
        want.sig_oid
    );

    // Extensions, in Go's order.
    let mut order = Vec::new();
    let mut ski = None;
    let mut aki = None;
    for ext in c.extensions() {
        order.push(ext.oid.to_id_string());
        match ext.parsed_extension() {
            ParsedExtension::KeyUsage(ku) => {
                assert!(ext.critical);
                assert!(ku.digital_signature() && ku.key_encipherment());
                assert_eq!(ku.key_cert_sign(), want.is_ca);
                let extra = ku.flags & !(1 | 4 | 32);
                assert_eq!(extra, 0, "unexpected key usages {:b}", ku.flags);
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                assert!(!ext.critical);
                assert!(eku.server_auth && eku.client_auth && eku.other.is_empty());
            }
            ParsedExtension::BasicConstraints(bc) => {
                assert!(ext.critical);
                assert_eq!(bc.ca, want.is_ca);
                assert_eq!(bc.path_len_constraint, None);
            }
            ParsedExtension::SubjectKeyIdentifier(id) => ski = Some(id.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                aki = a.key_identifier.as_ref().map(|k| k.0.to_vec());
            }
            ParsedExtension::SubjectAlternativeName(san) => {
                assert_eq!(ext.critical, want.cn.is_empty());
                let mut dns = Vec::new();
                let mut ips = Vec::new();
                let mut seen_ip = false;
                for n in &san.general_names {
                    match n {
                        GeneralName::DNSName(d) => {
                            assert!(!seen_ip, "DNS names come before IPs");
                            dns.push(*d);
                        }
                        GeneralName::IPAddress(ip) => {
                            seen_ip = true;
                            ips.push(ip.to_vec());
                        }
                        other => panic!("unexpected SAN {other:?}"),
                    }
                }
                assert_eq!(dns, want.dns);
                assert_eq!(ips, want.ips.iter().map(|i| i.to_vec()).collect::<Vec<_>>());
            }
            other => panic!("unexpected extension {other:?}"),
        }
    }
    let mut want_order = vec!["2.5.29.15", "2.5.29.37", "2.5.29.19"];
    if want.is_ca {
        want_order.push("2.5.29.14");
    }
    let issuer_differs = issuer.is_some_and(|i| i.subject().as_raw() != c.subject().as_raw());
    if issuer_differs {
        want_order.push("2.5.29.35");
    }
    if !want.dns.is_empty() || !want.ips.is_empty() {
        want_order.push("2.5.29.17");
    }
    assert_eq!(order, want_order);
    // The key id is the first 20 bytes of SHA-256 of the public key bits.
    if want.is_ca {
        let bits = &c.public_key().subject_public_key.data;
        let id = digest(&SHA256, bits);
        assert_eq!(ski.as_deref(), id.as_ref().get(..20));
    }
    if issuer_differs {
        let issuer_ski = issuer
            .and_then(|i| {
                i.extensions()
                    .iter()
                    .find(|e| e.oid.to_id_string() == "2.5.29.14")
            })
            .map(|e| match e.parsed_extension() {
                ParsedExtension::SubjectKeyIdentifier(id) => id.0.to_vec(),
                _ => Vec::new(),
            });
        assert_eq!(aki, issuer_ski);
    } else {
        assert!(aki.is_none());
    }
    // The signature verifies with the issuer's (or its own) key.
    let signer = issuer.unwrap_or(&c);
    let alg: &dyn VerificationAlgorithm = match want.sig_oid {
        OID_RSA_SHA256 => &RSA_PKCS1_2048_8192_SHA256,
        OID_ECDSA_SHA256 => &ECDSA_P256_SHA256_ASN1,
        _ => &ED25519,
    };
    let key = UnparsedPublicKey::new(alg, &signer.public_key().subject_public_key.data);
    key.verify(c.tbs_certificate.as_ref(), &c.signature_value.data)
        .unwrap_or_else(|e| panic!("signature does not verify: {e}"));
    der.clone()
}

fn rsa_bits(cert_pem: &str) -> usize {
    let (_, der) = pem(cert_pem);
    let (_, c) = X509Certificate::from_der(&der).unwrap_or_else(|e| panic!("{e}"));
    match c.public_key().parsed() {
        Ok(x509_parser::public_key::PublicKey::RSA(k)) => {
            assert_eq!(k.exponent, [1, 0, 1]);
            k.key_size()
        }
        other => panic!("not RSA: {other:?}"),
    }
}

#[test]
fn ca_self_signed_and_signed_certificates_follow_gos_profile() {
    let (ca_cert, ca_key) = cert_and_key("genCA \"my-ca\" 365");
    assert_eq!(pem(&ca_key).0, "RSA PRIVATE KEY");
    assert_eq!(rsa_bits(&ca_cert), 2048);
    let ca_der = check_cert(
        &ca_cert,
        &Expect {
            cn: "my-ca",
            days: 365,
            is_ca: true,
            dns: &[],
            ips: &[],
            sig_oid: OID_RSA_SHA256,
        },
        None,
    );
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap_or_else(|e| panic!("{e}"));

    let template = "{{ $ca := genCA \"my-ca\" 365 }}";
    let _ = template;
    // Sign a leaf with that CA, passed back in through buildCustomCert.
    let leaf = format!(
        "(genSignedCert \"leaf.example\" (list \"10.0.0.1\" \"::1\" \"::ffff:1.2.3.4\") \
         (list \"a.example\" \"*.b.example\") 30 (buildCustomCert {} {}))",
        b64_literal(&ca_cert),
        b64_literal(&ca_key)
    );
    let (leaf_cert, leaf_key) = cert_and_key(&leaf);
    assert_eq!(pem(&leaf_key).0, "RSA PRIVATE KEY");
    check_cert(
        &leaf_cert,
        &Expect {
            cn: "leaf.example",
            days: 30,
            is_ca: false,
            dns: &["a.example", "*.b.example"],
            ips: &[
                &[10, 0, 0, 1],
                &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                &[1, 2, 3, 4],
            ],
            sig_oid: OID_RSA_SHA256,
        },
        Some(&ca),
    );

    // Same subject as the issuer: Go writes no AuthorityKeyId.
    let same = format!(
        "(genSignedCert \"my-ca\" nil nil 2 (buildCustomCert {} {}))",
        b64_literal(&ca_cert),
        b64_literal(&ca_key)
    );
    let (same_cert, _) = cert_and_key(&same);
    check_cert(
        &same_cert,
        &Expect {
            cn: "my-ca",
            days: 2,
            is_ca: false,
            dns: &[],
            ips: &[],
            sig_oid: OID_RSA_SHA256,
        },
        Some(&ca),
    );

    // An empty subject makes the SANs critical.
    let (anon, _) =
        cert_and_key("genSelfSignedCert \"\" (list \"192.168.0.1\") (list \"x.example\") 1");
    check_cert(
        &anon,
        &Expect {
            cn: "",
            days: 1,
            is_ca: false,
            dns: &["x.example"],
            ips: &[&[192, 168, 0, 1]],
            sig_oid: OID_RSA_SHA256,
        },
        None,
    );
    let (plain, _) = cert_and_key("genSelfSignedCert \"plain\" nil nil 10");
    check_cert(
        &plain,
        &Expect {
            cn: "plain",
            days: 10,
            is_ca: false,
            dns: &[],
            ips: &[],
            sig_oid: OID_RSA_SHA256,
        },
        None,
    );
}

/// A Go template expression for the base64 of `s` (built with `b64enc`
/// from a quoted literal).
fn b64_literal(s: &str) -> String {
    format!("(b64enc {})", serde_json::to_string(s).unwrap_or_default())
}

#[test]
fn certificates_with_ecdsa_and_ed25519_keys() {
    let ec = ok("{{ genPrivateKey \"ecdsa\" }}");
    assert_eq!(pem(&ec).0, "EC PRIVATE KEY");
    let ed = ok("{{ genPrivateKey \"ed25519\" }}");
    let (label, ed_der) = pem(&ed);
    assert_eq!(label, "PRIVATE KEY");
    // Go's PKCS#8 form of an Ed25519 key: exactly 48 bytes.
    assert_eq!(ed_der.len(), 48);

    let lit = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let (ec_ca, ec_key_out) = cert_and_key(&format!("genCAWithKey \"ec-ca\" 7 {}", lit(&ec)));
    assert_eq!(
        ec_key_out, ec,
        "the key is returned re-encoded as Go writes it"
    );
    let ec_ca_der = check_cert(
        &ec_ca,
        &Expect {
            cn: "ec-ca",
            days: 7,
            is_ca: true,
            dns: &[],
            ips: &[],
            sig_oid: OID_ECDSA_SHA256,
        },
        None,
    );
    let (_, ec_ca_parsed) = X509Certificate::from_der(&ec_ca_der).unwrap_or_else(|e| panic!("{e}"));
    let (ed_leaf, ed_key_out) = cert_and_key(&format!(
        "genSignedCertWithKey \"ed-leaf\" nil (list \"e.example\") 3 (buildCustomCert {} {}) {}",
        b64_literal(&ec_ca),
        b64_literal(&ec),
        lit(&ed)
    ));
    assert_eq!(ed_key_out, ed);
    check_cert(
        &ed_leaf,
        &Expect {
            cn: "ed-leaf",
            days: 3,
            is_ca: false,
            dns: &["e.example"],
            ips: &[],
            sig_oid: OID_ECDSA_SHA256,
        },
        Some(&ec_ca_parsed),
    );
    let (ed_self, _) = cert_and_key(&format!(
        "genSelfSignedCertWithKey \"ed\" nil nil 1 {}",
        lit(&ed)
    ));
    check_cert(
        &ed_self,
        &Expect {
            cn: "ed",
            days: 1,
            is_ca: false,
            dns: &[],
            ips: &[],
            sig_oid: OID_ED25519,
        },
        None,
    );
}

#[test]
fn rsa_private_keys_are_4096_bit_pkcs1() {
    // The one 4096-bit generation of the suite (slow in debug builds).
    let key = ok("{{ genPrivateKey \"rsa\" }}");
    assert_eq!(pem(&key).0, "RSA PRIVATE KEY");
    let lit = serde_json::to_string(&key).unwrap_or_default();
    let (cert, key_out) =
        cert_and_key(&format!("genSelfSignedCertWithKey \"big\" nil nil 1 {lit}"));
    assert_eq!(key_out, key);
    assert_eq!(rsa_bits(&cert), 4096);
    // "" means rsa too; only its type is checked, to keep to one keygen.
    assert_eq!(
        render("{{ typeOf (genPrivateKey \"\") }}").ok().as_deref(),
        Some("string")
    );
}

fn big(obj: &x509_parser::der_parser::ber::BerObject<'_>) -> BigUint {
    match &obj.content {
        BerObjectContent::Integer(b) => BigUint::from_bytes_be(b),
        other => panic!("not an integer: {other:?}"),
    }
}

#[test]
fn dsa_private_keys_have_valid_l2048_n256_parameters() {
    let key = ok("{{ genPrivateKey \"dsa\" }}");
    let (label, der) = pem(&key);
    assert_eq!(label, "DSA PRIVATE KEY");
    let (rest, obj) = parse_der(&der).unwrap_or_else(|e| panic!("{e}"));
    assert!(rest.is_empty());
    let items = obj.as_sequence().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(items.len(), 6);
    let [v, p, q, g, y, x] = [0, 1, 2, 3, 4, 5].map(|i| big(&items[i]));
    assert_eq!(v, BigUint::from(0u8));
    assert_eq!(p.bits(), 2048);
    assert_eq!(q.bits(), 256);
    let one = BigUint::from(1u8);
    assert_eq!((&p - &one) % &q, BigUint::from(0u8), "q divides p-1");
    assert_eq!(g.modpow(&q, &p), one, "g has order q");
    assert!(x < q && x > BigUint::from(0u8));
    assert_eq!(g.modpow(&x, &p), y, "y = g^x mod p");
}

#[test]
fn bcrypt_and_htpasswd_hashes_verify() {
    let h = ok("{{ bcrypt \"s3cret\" }}");
    assert!(h.starts_with("$2a$10$") && h.len() == 60, "{h}");
    assert!(bcrypt::verify("s3cret", &h).unwrap_or(false));
    assert!(!bcrypt::verify("other", &h).unwrap_or(true));
    let line = ok("{{ htpasswd \"admin\" \"pässword\" }}");
    let (user, hash) = line.split_once(':').unwrap_or_default();
    assert_eq!(user, "admin");
    assert!(hash.starts_with("$2a$10$"));
    assert!(bcrypt::verify("pässword", hash).unwrap_or(false));
    assert_ne!(ok("{{ bcrypt \"x\" }}"), ok("{{ bcrypt \"x\" }}"), "salted");
}

#[test]
fn aes_round_trips_with_a_random_iv() {
    for (pw, text) in [
        ("k", "x"),
        (
            "a much longer password than thirty-two bytes",
            "ünï ✓ — long text ".repeat(9).as_str(),
        ),
    ] {
        let tpl = format!(
            "{{{{ $e := encryptAES {pw:?} {t} }}}}{{{{ $e }}}}@@{{{{ decryptAES {pw:?} $e }}}}",
            t = serde_json::to_string(text).unwrap_or_default()
        );
        let out = ok(&tpl);
        let (enc, dec) = out.split_once("@@").unwrap_or_default();
        assert_eq!(dec, text);
        // IV plus whole blocks, base64.
        let raw_len = enc.len() / 4 * 3 - enc.matches('=').count();
        assert_eq!(raw_len, 16 + (text.len() / 16 + 1) * 16);
    }
    assert_ne!(
        ok("{{ encryptAES \"k\" \"x\" }}"),
        ok("{{ encryptAES \"k\" \"x\" }}")
    );
}

#[test]
fn certificate_objects_marshal_like_go_structs() {
    let out = ok(
        "{{ $ca := genCA \"j\" 1 }}{{ $ca | toJson | fromJson | keys | sortAlpha }} {{ $ca.Cert | hasPrefix \"-----BEGIN CERTIFICATE-----\\n\" }}",
    );
    assert_eq!(out, "[Cert Key] true");
    let printed = ok("{{ genCA \"j\" 1 }}");
    assert!(
        printed.starts_with("{-----BEGIN CERTIFICATE-----\n")
            && printed.ends_with("-----END RSA PRIVATE KEY-----\n}")
    );
}
