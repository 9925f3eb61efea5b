//! A small DER writer and reader: enough ASN.1 to build certificates the
//! way Go's `crypto/x509` lays them out and to take apart the keys and
//! certificates Sprig's functions accept.

/// Universal tags used here.
pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const UTF8_STRING: u8 = 0x0c;
pub(crate) const PRINTABLE_STRING: u8 = 0x13;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;

/// One element: tag byte and contents.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of already-encoded elements.
pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

/// A non-negative INTEGER from big-endian magnitude bytes.
pub(crate) fn uint(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    let m = &magnitude[skip..];
    let mut content = Vec::with_capacity(m.len() + 1);
    if m.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(m);
    tlv(INTEGER, &content)
}

/// A small INTEGER.
pub(crate) fn int(v: i64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    // Drop redundant leading bytes while the sign bit stays right.
    let mut start = 0;
    while start < 7 {
        let (b, next) = (bytes[start], bytes[start + 1]);
        if (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    tlv(INTEGER, &bytes[start..])
}

/// An OBJECT IDENTIFIER from its arcs.
pub(crate) fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    let (first, rest) = match arcs {
        [a, b, rest @ ..] => (a * 40 + b, rest),
        [a] => (a * 40, &[][..]),
        [] => (0, &[][..]),
    };
    for arc in std::iter::once(first).chain(rest.iter().copied()) {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            groups.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        groups.reverse();
        content.extend(groups);
    }
    tlv(OID, &content)
}

/// A BIT STRING with no unused bits.
pub(crate) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(BIT_STRING, &content)
}

/// A parsed element: its tag, its contents, and its whole encoding.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Element<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
    pub(crate) raw: &'a [u8],
}

impl<'a> Element<'a> {
    /// The children of a constructed element.
    pub(crate) fn children(&self) -> Reader<'a> {
        Reader { data: self.content }
    }
}

/// Reads consecutive DER elements.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
}

/// The header of the first element of `data`: tag, header length and
/// content length, if it parses as definite-length DER.
pub(crate) fn header(data: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *data.first()?;
    if tag & 0x1f == 0x1f {
        // High tag numbers never occur in what we read.
        return None;
    }
    let first = *data.get(1)?;
    if first < 0x80 {
        return Some((tag, 2, usize::from(first)));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 8 {
        return None;
    }
    let bytes = data.get(2..2 + n)?;
    if bytes.first() == Some(&0) {
        return None;
    }
    let mut len: usize = 0;
    for &b in bytes {
        len = len.checked_mul(256)?.checked_add(usize::from(b))?;
    }
    if len < 0x80 {
        return None;
    }
    Some((tag, 2 + n, len))
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next element, whatever its tag.
    pub(crate) fn next_any(&mut self) -> Option<Element<'a>> {
        let (tag, hl, len) = header(self.data)?;
        let end = hl.checked_add(len)?;
        let raw = self.data.get(..end)?;
        let content = raw.get(hl..)?;
        self.data = self.data.get(end..)?;
        Some(Element { tag, content, raw })
    }

    /// The next element, which must have `tag`.
    pub(crate) fn next(&mut self, tag: u8) -> Option<Element<'a>> {
        let mut copy = *self;
        let e = copy.next_any()?;
        if e.tag != tag {
            return None;
        }
        *self = copy;
        Some(e)
    }

    /// The next element if it has `tag`, leaving the reader alone otherwise.
    pub(crate) fn optional(&mut self, tag: u8) -> Option<Element<'a>> {
        self.next(tag)
    }

    /// The next small INTEGER.
    pub(crate) fn small_int(&mut self) -> Option<i64> {
        let e = self.next(INTEGER)?;
        if e.content.is_empty() || e.content.len() > 8 {
            return None;
        }
        let mut v: i64 = if e.content[0] & 0x80 != 0 { -1 } else { 0 };
        for &b in e.content {
            v = (v << 8) | i64::from(b);
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes() {
        assert_eq!(int(0), [2, 1, 0]);
        assert_eq!(int(2), [2, 1, 2]);
        assert_eq!(int(128), [2, 2, 0, 128]);
        assert_eq!(int(-1), [2, 1, 0xff]);
        assert_eq!(uint(&[0x80]), [2, 2, 0, 0x80]);
        assert_eq!(uint(&[0, 0, 5]), [2, 1, 5]);
        assert_eq!(uint(&[]), [2, 1, 0]);
        assert_eq!(oid(&[2, 5, 29, 15]), [6, 3, 0x55, 0x1d, 0x0f]);
        assert_eq!(
            oid(&[1, 2, 840, 113549, 1, 1, 11]),
            [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 0x0b]
        );
        let long = tlv(OCTET_STRING, &[7; 300]);
        assert_eq!(&long[..4], &[4, 0x82, 1, 44]);
    }

    #[test]
    fn reads() {
        let s = seq(&[&int(5), &uint(&[0xff]), &tlv(NULL, &[])]);
        let mut r = Reader::new(&s);
        let top = r.next(SEQUENCE).unwrap_or_else(|| unreachable!());
        assert!(r.is_empty());
        let mut c = top.children();
        assert_eq!(c.small_int(), Some(5));
        assert_eq!(c.next(INTEGER).map(|e| e.content), Some(&[0, 0xff][..]));
        assert!(c.optional(BOOLEAN).is_none());
        assert!(c.next(NULL).is_some());
        assert!(c.next_any().is_none());
        assert!(header(&[0x30, 0x81, 0x05]).is_none());
        assert!(Reader::new(&[0x30, 0x05, 1]).next_any().is_none());
    }
}
