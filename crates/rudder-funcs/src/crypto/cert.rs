//! X.509 certificates as Sprig's `genCA`, `genSelfSignedCert` and
//! `genSignedCert` make them through Go's `x509.CreateCertificate`: the
//! same fields, extensions and encodings in the same order (v3, a random
//! 128-bit serial, `CN` only, UTCTime validity from now, KeyUsage and
//! BasicConstraints critical, ExtKeyUsage serverAuth+clientAuth, a
//! truncated-SHA-256 SubjectKeyId on CAs, an AuthorityKeyId when issuer and
//! subject differ, SANs with DNS names before IPs), plus the little
//! certificate parsing Sprig needs (the signer's subject, key and key id).
//!
//! The DER is written by hand (module `der`) rather than with a
//! certificate builder so that every byte follows Go's choices.

use std::any::Any;
use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest::{SHA256, digest};
use rudder_value::{Object, ObjectRepr, Value};

use super::der::{self, Reader};
use super::keys::PrivateKey;
use super::pem;
use crate::date::civil;

/// Sprig's `certificate{Cert, Key string}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Certificate {
    pub(crate) cert: String,
    pub(crate) key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: false,
            fields: vec![
                ("Cert", Value::str(&self.cert)),
                ("Key", Value::str(&self.key)),
            ],
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What `getBaseCertTemplate` fills in, plus `IsCA`.
pub(crate) struct Template {
    pub(crate) cn: String,
    pub(crate) ips: Vec<IpAddr>,
    pub(crate) dns: Vec<String>,
    pub(crate) days: i64,
    pub(crate) is_ca: bool,
}

/// The parts of an issuing certificate that signing needs.
pub(crate) struct Issuer {
    /// The DER of its subject name, which becomes our issuer.
    subject: Vec<u8>,
    /// Its public key's bits, to check the signing key against.
    public_key: Vec<u8>,
    /// Its SubjectKeyId, which becomes our AuthorityKeyId.
    key_id: Option<Vec<u8>>,
}

const OID_CN: &[u64] = &[2, 5, 4, 3];
const OID_KEY_USAGE: &[u64] = &[2, 5, 29, 15];
const OID_EXT_KEY_USAGE: &[u64] = &[2, 5, 29, 37];
const OID_BASIC_CONSTRAINTS: &[u64] = &[2, 5, 29, 19];
const OID_SUBJECT_KEY_ID: &[u64] = &[2, 5, 29, 14];
const OID_AUTHORITY_KEY_ID: &[u64] = &[2, 5, 29, 35];
const OID_SAN: &[u64] = &[2, 5, 29, 17];
const OID_SERVER_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 1];
const OID_CLIENT_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 2];

/// A Go `PrintableString` character (`*` and `&` excluded, as x509 does).
fn printable(c: char) -> bool {
    c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c)
}

/// A `Name` with just a common name; empty when `cn` is.
fn name(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return der::seq(&[]);
    }
    let tag = if cn.chars().all(printable) {
        der::PRINTABLE_STRING
    } else {
        der::UTF8_STRING
    };
    let atv = der::seq(&[&der::oid(OID_CN), &der::tlv(tag, cn.as_bytes())]);
    der::seq(&[&der::tlv(der::SET, &atv)])
}

/// A UTC time as UTCTime (1950–2049) or GeneralizedTime.
fn asn1_time(unix: i64) -> Vec<u8> {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, mo, d) = civil::civil_from_days(days);
    let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if (1950..2050).contains(&y) {
        let text = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        der::tlv(der::UTC_TIME, text.as_bytes())
    } else {
        let text = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        der::tlv(der::GENERALIZED_TIME, text.as_bytes())
    }
}

fn extension(oid: &[u64], critical: bool, value: &[u8]) -> Vec<u8> {
    let crit = if critical {
        der::tlv(der::BOOLEAN, &[0xff])
    } else {
        Vec::new()
    };
    der::seq(&[&der::oid(oid), &crit, &der::tlv(der::OCTET_STRING, value)])
}

/// Go's `KeyUsage` bit string: bits in ASN.1 order, trailing zero bits
/// dropped.
fn key_usage(is_ca: bool) -> Vec<u8> {
    // DigitalSignature (bit 0), KeyEncipherment (bit 2), CertSign (bit 5).
    let byte: u8 = if is_ca { 0b1010_0100 } else { 0b1010_0000 };
    let unused = byte.trailing_zeros() as u8;
    der::tlv(der::BIT_STRING, &[unused, byte])
}

/// The bits of a `SubjectPublicKeyInfo`'s BIT STRING.
fn spki_bits(spki: &[u8]) -> Option<&[u8]> {
    let top = Reader::new(spki).next(der::SEQUENCE)?;
    let mut r = top.children();
    r.next(der::SEQUENCE)?;
    r.next(der::BIT_STRING)?.content.get(1..)
}

/// Unix seconds and nanoseconds now.
fn now() -> (i64, i64) {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, i64::from(d.subsec_nanos())),
        Err(_) => (0, 0),
    }
}

/// Build and sign a certificate for `subject_key`, issued by `issuer` (or
/// self-issued) and signed by `signer`. The error is Go's
/// `x509.CreateCertificate` text.
pub(crate) fn create(
    template: &Template,
    subject_key: &PrivateKey,
    issuer: Option<&Issuer>,
    signer: &PrivateKey,
) -> Result<Vec<u8>, String> {
    // Go checks the signer, then the subject's public key, in this order.
    let sig_alg = signer.signature_algorithm()?;
    let spki = subject_key.spki()?;
    let subject = name(&template.cn);
    let issuer_name = issuer.map_or_else(|| subject.clone(), |i| i.subject.clone());
    let mut serial = [0u8; 16];
    crate::random::fill(&mut serial).map_err(|e| e.message())?;

    let (sec, nsec) = now();
    // `time.Hour * 24 * time.Duration(days)` wraps around in Go.
    let valid_for = 86_400_000_000_000i64.wrapping_mul(template.days);
    let not_after_ns = i128::from(sec) * 1_000_000_000 + i128::from(nsec) + i128::from(valid_for);
    let not_after = i64::try_from(not_after_ns.div_euclid(1_000_000_000)).unwrap_or(i64::MAX);

    let mut exts: Vec<Vec<u8>> = vec![
        extension(OID_KEY_USAGE, true, &key_usage(template.is_ca)),
        extension(
            OID_EXT_KEY_USAGE,
            false,
            &der::seq(&[&der::oid(OID_SERVER_AUTH), &der::oid(OID_CLIENT_AUTH)]),
        ),
        extension(
            OID_BASIC_CONSTRAINTS,
            true,
            &if template.is_ca {
                der::seq(&[&der::tlv(der::BOOLEAN, &[0xff])])
            } else {
                der::seq(&[])
            },
        ),
    ];
    if template.is_ca {
        let bits = spki_bits(&spki).unwrap_or_default();
        let id = digest(&SHA256, bits);
        let id = id.as_ref().get(..20).unwrap_or_default();
        exts.push(extension(
            OID_SUBJECT_KEY_ID,
            false,
            &der::tlv(der::OCTET_STRING, id),
        ));
    }
    if let Some(i) = issuer {
        if let Some(id) = &i.key_id
            && i.subject != subject
        {
            exts.push(extension(
                OID_AUTHORITY_KEY_ID,
                false,
                &der::seq(&[&der::tlv(0x80, id)]),
            ));
        }
        // Go refuses a signing key that is not the issuer's.
        let signer_bits = signer.spki().ok();
        if signer_bits.as_deref().and_then(spki_bits) != Some(i.public_key.as_slice()) {
            return Err("x509: provided PrivateKey doesn't match parent's PublicKey".to_owned());
        }
    }
    if !template.dns.is_empty() || !template.ips.is_empty() {
        let mut names = Vec::new();
        for d in &template.dns {
            if !d.is_ascii() {
                return Err(format!("x509: {d:?} cannot be encoded as an IA5String"));
            }
            names.extend(der::tlv(0x82, d.as_bytes()));
        }
        for ip in &template.ips {
            let bytes = match ip {
                IpAddr::V4(v4) => v4.octets().to_vec(),
                IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => v6.octets().to_vec(),
                },
            };
            names.extend(der::tlv(0x87, &bytes));
        }
        // With no subject, the SANs are the identity and must be critical.
        exts.push(extension(
            OID_SAN,
            template.cn.is_empty(),
            &der::tlv(der::SEQUENCE, &names),
        ));
    }

    let tbs = der::seq(&[
        &der::tlv(0xa0, &der::int(2)),
        &der::uint(&serial),
        &sig_alg,
        &issuer_name,
        &der::seq(&[&asn1_time(sec), &asn1_time(not_after)]),
        &subject,
        &spki,
        &der::tlv(0xa3, &der::tlv(der::SEQUENCE, &exts.concat())),
    ]);
    let signature = signer.sign(&tbs)?;
    Ok(der::seq(&[&tbs, &sig_alg, &der::bit_string(&signature)]))
}

/// Go's `x509.ParseCertificate`, reduced to the checks that reject
/// malformed input and the fields a signer needs.
pub(crate) fn parse(der_bytes: &[u8]) -> Result<Issuer, String> {
    let malformed = || "x509: malformed certificate".to_owned();
    let mut outer = Reader::new(der_bytes);
    let cert = outer.next(der::SEQUENCE).ok_or_else(malformed)?;
    let mut c = cert.children();
    let tbs = c.next(der::SEQUENCE).ok_or_else(malformed)?;
    c.next(der::SEQUENCE).ok_or_else(malformed)?;
    c.next(der::BIT_STRING).ok_or_else(malformed)?;
    if !c.is_empty() {
        return Err(malformed());
    }
    let mut t = tbs.children();
    if let Some(v) = t.optional(0xa0) {
        let version = v
            .children()
            .small_int()
            .ok_or_else(|| "x509: malformed version".to_owned())?;
        if !(0..=2).contains(&version) {
            return Err("x509: invalid version".to_owned());
        }
    }
    t.next(der::INTEGER)
        .ok_or_else(|| "x509: malformed serial number".to_owned())?;
    t.next(der::SEQUENCE)
        .ok_or_else(|| "x509: malformed signature algorithm identifier".to_owned())?;
    t.next(der::SEQUENCE)
        .ok_or_else(|| "x509: malformed issuer".to_owned())?;
    t.next(der::SEQUENCE)
        .ok_or_else(|| "x509: malformed validity".to_owned())?;
    let subject = t
        .next(der::SEQUENCE)
        .ok_or_else(|| "x509: malformed subject".to_owned())?;
    let spki = t
        .next(der::SEQUENCE)
        .ok_or_else(|| "x509: malformed spki".to_owned())?;
    let public_key = spki_bits(spki.raw)
        .ok_or_else(|| "x509: malformed subjectPublicKey".to_owned())?
        .to_vec();
    t.optional(0x81);
    t.optional(0x82);
    let mut key_id = None;
    if let Some(exts) = t.optional(0xa3) {
        let list = exts
            .children()
            .next(der::SEQUENCE)
            .ok_or_else(|| "x509: malformed extensions".to_owned())?;
        let mut l = list.children();
        while !l.is_empty() {
            let ext = l
                .next(der::SEQUENCE)
                .ok_or_else(|| "x509: malformed extension".to_owned())?;
            let mut e = ext.children();
            let oid = e
                .next(der::OID)
                .ok_or_else(|| "x509: malformed extension OID field".to_owned())?;
            e.optional(der::BOOLEAN);
            let value = e
                .next(der::OCTET_STRING)
                .ok_or_else(|| "x509: malformed extension value field".to_owned())?;
            if der::oid(OID_SUBJECT_KEY_ID).get(2..) == Some(oid.content) {
                let id = Reader::new(value.content)
                    .next(der::OCTET_STRING)
                    .ok_or_else(|| "x509: invalid subject key identifier".to_owned())?;
                key_id = Some(id.content.to_vec()).filter(|k| !k.is_empty());
            }
        }
    }
    if !t.is_empty() {
        return Err("x509: malformed tbs certificate".to_owned());
    }
    Ok(Issuer {
        subject: subject.raw.to_vec(),
        public_key,
        key_id,
    })
}

/// The issuing certificate from a PEM text, with Sprig's error texts.
pub(crate) fn parse_pem(text: &str, what: &str) -> Result<Issuer, String> {
    let block =
        pem::decode(text.as_bytes()).ok_or_else(|| "unable to decode certificate".to_owned())?;
    parse(&block.bytes).map_err(|e| format!("error parsing certificate: {what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_times() {
        assert_eq!(name(""), [0x30, 0]);
        let n = name("my-ca");
        assert_eq!(n[n.len() - 7], der::PRINTABLE_STRING);
        let n = name("*.x");
        assert_eq!(n[n.len() - 5], der::UTF8_STRING);
        assert_eq!(asn1_time(0), der::tlv(der::UTC_TIME, b"700101000000Z"));
        assert_eq!(
            asn1_time(2_524_608_000),
            der::tlv(der::GENERALIZED_TIME, b"20500101000000Z")
        );
        assert_eq!(key_usage(false), [3, 2, 5, 0xa0]);
        assert_eq!(key_usage(true), [3, 2, 2, 0xa4]);
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(
            parse(&[0, 0, 0]).err().as_deref(),
            Some("x509: malformed certificate")
        );
        assert_eq!(
            parse_pem("x", "decodedCert.Bytes").err().as_deref(),
            Some("unable to decode certificate")
        );
    }
}
