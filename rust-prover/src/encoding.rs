//! Little-endian byte readers and writers for the job, proof and key formats, with errors that
//! name the field being read.

use crate::config::F;
use crate::error::{invalid_input, Result};
use plonky2::field::types::{Field, Field64, PrimeField64};

pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader {
            bytes,
            pos: 0,
            what,
        }
    }

    pub fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8]> {
        if self.bytes.len() - self.pos < n {
            return invalid_input(format!(
                "{}: truncated at field '{field}' (needs {n} bytes at offset {}, {} left)",
                self.what,
                self.pos,
                self.bytes.len() - self.pos
            ));
        }
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    pub fn u32(&mut self, field: &str) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4, field)?.try_into().unwrap()))
    }

    pub fn u64(&mut self, field: &str) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8, field)?.try_into().unwrap()))
    }

    pub fn bytes32(&mut self, field: &str) -> Result<[u8; 32]> {
        Ok(self.take(32, field)?.try_into().unwrap())
    }

    /// A field element that must be in canonical form (< p), so that every value has one encoding.
    pub fn felt(&mut self, field: &str) -> Result<F> {
        let raw = self.u64(field)?;
        if raw >= F::ORDER {
            return invalid_input(format!(
                "{}: field '{field}' is not a canonical field element",
                self.what
            ));
        }
        Ok(F::from_canonical_u64(raw))
    }

    pub fn felts<const N: usize>(&mut self, field: &str) -> Result<[F; N]> {
        let mut out = [F::ZERO; N];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = self.felt(&format!("{field}[{i}]"))?;
        }
        Ok(out)
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let slice = &self.bytes[self.pos..];
        self.pos = self.bytes.len();
        slice
    }

    pub fn finish(&self) -> Result<()> {
        if self.pos != self.bytes.len() {
            return invalid_input(format!(
                "{}: {} unexpected trailing bytes",
                self.what,
                self.bytes.len() - self.pos
            ));
        }
        Ok(())
    }
}

pub fn put_felts(out: &mut Vec<u8>, felts: &[F]) {
    for f in felts {
        out.extend_from_slice(&f.to_canonical_u64().to_le_bytes());
    }
}

/// 4 field elements as 32 bytes (each little-endian), the form digests take in hex.
pub fn digest_bytes(felts: &[F]) -> Vec<u8> {
    let mut out = Vec::with_capacity(felts.len() * 8);
    put_felts(&mut out, felts);
    out
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A 32-byte id as 8 field elements of 32 bits each (any 32 bytes encode without reduction).
pub fn id_to_felts(id: &[u8; 32]) -> [F; 8] {
    let mut out = [F::ZERO; 8];
    for (i, chunk) in id.chunks(4).enumerate() {
        out[i] = F::from_canonical_u32(u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    out
}

pub fn felts_to_id(felts: &[F]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    for (i, f) in felts.iter().enumerate() {
        let limb = u32::try_from(f.to_canonical_u64()).ok()?;
        out[i * 4..i * 4 + 4].copy_from_slice(&limb.to_le_bytes());
    }
    Some(out)
}
