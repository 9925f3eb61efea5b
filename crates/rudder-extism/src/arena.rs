//! The host-side replacement for Extism's kernel memory.
//!
//! Extism guests never share their linear memory with the host. They talk to
//! a separate "kernel" memory through `extism:host/env` imports (`alloc`,
//! `load_u64`, `store_u8`, `input_set`, …) using 64-bit offsets, where offset
//! 0 means "null". Upstream implements that as a small Wasm module with its
//! own linear memory; we implement the same contract in plain Rust over a
//! `Vec<u8>`. Guests only see the imports, so the difference is invisible to
//! them, and every access is bounds-checked here instead of trusting a
//! guest-controlled allocator header.
//!
//! Layout: one contiguous byte space addressed by offsets. Offsets below
//! [`BASE`] are never handed out, so 0 stays the null handle and small bogus
//! handles fail cleanly. Blocks are bump-allocated, freed blocks are reused
//! (best fit) and [`Arena::reset`] forgets every block at the start of a call,
//! like the kernel's `reset`.
//!
//! Security: this module is the only code that turns guest-supplied offsets
//! into host memory accesses. Every accessor returns `None`/an error for an
//! out-of-range offset or length instead of panicking, all arithmetic is
//! checked, and growth goes through [`Arena::grow_to`], which honours the
//! sandbox's byte budget and uses `try_reserve` so a huge request cannot
//! abort the host process.

use std::collections::{BTreeMap, BTreeSet};

/// First offset that can be handed out. Everything below it is a permanent
/// hole: reads and writes there are rejected, which turns the common guest
/// bug "allocation failed (0), then store to 0" into a clean error.
pub(crate) const BASE: u64 = 64;

/// Hard ceiling on the arena, mirroring the kernel's 32-bit linear memory
/// (4 GiB). The sandbox's `max_pages` budget usually cuts in far earlier.
pub(crate) const MAX_ARENA_BYTES: u64 = 4 << 30;

/// Alignment of block starts; keeps `load_u64`/`store_u64` on fresh blocks
/// naturally aligned (not required for correctness, only for speed).
const ALIGN: u64 = 8;

#[derive(Debug, Clone, Copy)]
struct Block {
    /// Bytes reserved for the block (≥ `used`).
    size: u64,
    /// Bytes the owner asked for; what `length` reports.
    used: u64,
    active: bool,
}

/// Why an allocation failed. Both map to a 0 handle for the guest; the host
/// remembers `Budget` so a following trap can be reported as out-of-memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AllocError {
    /// The sandbox's memory budget (or the 4 GiB ceiling) would be exceeded.
    Budget,
    /// The host allocator refused (`try_reserve` failed).
    Host,
}

/// Kernel memory of one plugin instance.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    /// Backing bytes; index = offset. `mem.len()` is the high-water mark.
    mem: Vec<u8>,
    /// Next free offset for bump allocation (≥ BASE once initialised).
    position: u64,
    /// Every block handed out since the last reset, by start offset.
    blocks: BTreeMap<u64, Block>,
    /// Freed blocks available for reuse, ordered by (size, offset).
    free: BTreeSet<(u64, u64)>,
    input: (u64, u64),
    output: (u64, u64),
    error: u64,
}

impl Arena {
    /// An empty arena backed by `buf`'s allocation (its contents are
    /// discarded; see [`Arena::grow_to`] for why none can be read back).
    pub(crate) fn with_buffer(mut buf: Vec<u8>) -> Arena {
        buf.clear();
        Arena {
            mem: buf,
            ..Arena::default()
        }
    }

    /// Take the backing allocation out, leaving an empty arena.
    pub(crate) fn take_buffer(&mut self) -> Vec<u8> {
        self.reset();
        std::mem::take(&mut self.mem)
    }

    /// Bytes of host memory the arena currently occupies; counted against
    /// the sandbox's page budget together with the guest's linear memories.
    pub(crate) fn footprint(&self) -> u64 {
        self.mem.len() as u64
    }

    /// Forget all blocks and the input/output/error registers. The backing
    /// bytes are kept so a warm plugin does not pay for growth again.
    pub(crate) fn reset(&mut self) {
        self.position = BASE;
        self.blocks.clear();
        self.free.clear();
        self.input = (0, 0);
        self.output = (0, 0);
        self.error = 0;
    }

    /// Allocate `n` bytes. `budget_left` is how many more bytes of footprint
    /// the sandbox allows right now (`u64::MAX` when unlimited).
    pub(crate) fn alloc(&mut self, n: u64, budget_left: u64) -> Result<u64, AllocError> {
        if n == 0 {
            return Ok(0);
        }
        if self.position < BASE {
            self.position = BASE;
        }
        // Best fit among freed blocks: smallest block that is large enough.
        if let Some(&(size, offset)) = self.free.range((n, 0)..).next() {
            self.free.remove(&(size, offset));
            if let Some(block) = self.blocks.get_mut(&offset) {
                block.used = n;
                block.active = true;
                return Ok(offset);
            }
        }
        let offset = self.position;
        let size = n
            .checked_next_multiple_of(ALIGN)
            .ok_or(AllocError::Budget)?;
        let end = offset.checked_add(size).ok_or(AllocError::Budget)?;
        self.grow_to(end, budget_left)?;
        self.position = end;
        self.blocks.insert(
            offset,
            Block {
                size,
                used: n,
                active: true,
            },
        );
        Ok(offset)
    }

    /// Make sure `mem` covers `[0, end)`, within the budget and the ceiling.
    fn grow_to(&mut self, end: u64, budget_left: u64) -> Result<(), AllocError> {
        let current = self.mem.len() as u64;
        if end <= current {
            return Ok(());
        }
        if end > MAX_ARENA_BYTES || end - current > budget_left {
            return Err(AllocError::Budget);
        }
        let end = usize::try_from(end).map_err(|_| AllocError::Budget)?;
        self.mem
            .try_reserve(end - self.mem.len())
            .map_err(|_| AllocError::Host)?;
        // Security: growth writes zeros over every new byte. A recycled
        // buffer (`with_buffer`) may hold another plugin's data beyond
        // `len`; this is what keeps it unreadable.
        self.mem.resize(end, 0);
        Ok(())
    }

    /// Free a block. Unknown or already-free handles are ignored, like the
    /// kernel does; freeing the input block zeroes the input length.
    pub(crate) fn free(&mut self, handle: u64) {
        if let Some(block) = self.blocks.get_mut(&handle)
            && block.active
        {
            block.active = false;
            self.free.insert((block.size, handle));
            if handle == self.input.0 {
                self.input.1 = 0;
            }
        }
    }

    /// Length of an active block, 0 for anything else (the kernel contract
    /// for `length`; `length_unsafe` uses this too since it is cheap here).
    pub(crate) fn length(&self, handle: u64) -> u64 {
        match self.blocks.get(&handle) {
            Some(block) if block.active => block.used,
            _ => 0,
        }
    }

    /// The bytes of an active block, if `handle` is one.
    pub(crate) fn block_bytes(&self, handle: u64) -> Option<&[u8]> {
        let len = match self.blocks.get(&handle) {
            Some(block) if block.active => block.used,
            _ => return None,
        };
        self.slice(handle, len)
    }

    /// A checked view of `[offset, offset + len)`. Offsets below [`BASE`]
    /// are never valid, except for the empty range at 0.
    pub(crate) fn slice(&self, offset: u64, len: u64) -> Option<&[u8]> {
        if len == 0 {
            return Some(&[]);
        }
        if offset < BASE {
            return None;
        }
        let start = usize::try_from(offset).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.mem.get(start..end)
    }

    fn slice_mut(&mut self, offset: u64, len: usize) -> Option<&mut [u8]> {
        if offset < BASE {
            return None;
        }
        let start = usize::try_from(offset).ok()?;
        let end = start.checked_add(len)?;
        self.mem.get_mut(start..end)
    }

    pub(crate) fn load_u8(&self, offset: u64) -> Option<u8> {
        self.slice(offset, 1).map(|s| s[0])
    }

    pub(crate) fn load_u64(&self, offset: u64) -> Option<u64> {
        let bytes: [u8; 8] = self.slice(offset, 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(bytes))
    }

    pub(crate) fn store_u8(&mut self, offset: u64, value: u8) -> Option<()> {
        self.slice_mut(offset, 1)?[0] = value;
        Some(())
    }

    pub(crate) fn store_u64(&mut self, offset: u64, value: u64) -> Option<()> {
        self.slice_mut(offset, 8)?
            .copy_from_slice(&value.to_le_bytes());
        Some(())
    }

    /// Allocate a block holding `data` (0 for empty data).
    pub(crate) fn alloc_bytes(&mut self, data: &[u8], budget_left: u64) -> Result<u64, AllocError> {
        let handle = self.alloc(data.len() as u64, budget_left)?;
        if handle != 0
            && let Some(dst) = self.slice_mut(handle, data.len())
        {
            dst.copy_from_slice(data);
        }
        Ok(handle)
    }

    /// `input_set`: the range must lie inside the arena.
    pub(crate) fn set_input(&mut self, offset: u64, len: u64) -> Option<()> {
        self.slice(offset, len)?;
        self.input = (offset, len);
        Some(())
    }

    pub(crate) fn input(&self) -> (u64, u64) {
        self.input
    }

    /// Byte `index` of the input, if in range.
    pub(crate) fn input_load_u8(&self, index: u64) -> Option<u8> {
        let (offset, len) = self.input;
        if index >= len {
            return None;
        }
        self.load_u8(offset.checked_add(index)?)
    }

    /// Eight input bytes starting at `index`, if all are in range.
    pub(crate) fn input_load_u64(&self, index: u64) -> Option<u64> {
        let (offset, len) = self.input;
        if index.checked_add(8)? > len {
            return None;
        }
        self.load_u64(offset.checked_add(index)?)
    }

    /// `output_set`: the range must lie inside the arena.
    pub(crate) fn set_output(&mut self, offset: u64, len: u64) -> Option<()> {
        self.slice(offset, len)?;
        self.output = (offset, len);
        Some(())
    }

    pub(crate) fn output(&self) -> (u64, u64) {
        self.output
    }

    pub(crate) fn output_bytes(&self) -> Option<&[u8]> {
        self.slice(self.output.0, self.output.1)
    }

    /// `error_set`: any value is stored (0 clears); it is validated when the
    /// host reads the message back.
    pub(crate) fn set_error(&mut self, handle: u64) {
        self.error = handle;
    }

    pub(crate) fn error(&self) -> u64 {
        self.error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_sized_alloc_is_null_and_null_has_no_length() {
        let mut a = Arena::default();
        assert_eq!(a.alloc(0, u64::MAX), Ok(0));
        assert_eq!(a.length(0), 0);
        assert!(a.load_u8(0).is_none());
        assert!(a.store_u64(0, 1).is_none());
    }

    #[test]
    fn round_trip_and_lengths() {
        let mut a = Arena::default();
        let h = a.alloc_bytes(b"hello world", u64::MAX).unwrap();
        assert!(h >= BASE);
        assert_eq!(a.length(h), 11);
        assert_eq!(a.block_bytes(h).unwrap(), b"hello world");
        assert_eq!(a.load_u8(h + 4), Some(b'o'));
        assert_eq!(a.load_u64(h), Some(u64::from_le_bytes(*b"hello wo")));
        // Offsets inside a block are not handles.
        assert_eq!(a.length(h + 1), 0);
    }

    #[test]
    fn out_of_range_accesses_fail_without_panicking() {
        let mut a = Arena::default();
        let h = a.alloc(16, u64::MAX).unwrap();
        let end = a.footprint();
        assert!(a.load_u64(end - 4).is_none());
        assert!(a.store_u8(end, 1).is_none());
        assert!(a.load_u64(u64::MAX).is_none());
        assert!(a.load_u64(u64::MAX - 3).is_none());
        assert!(a.slice(h, u64::MAX).is_none());
        assert!(a.set_output(h, u64::MAX).is_none());
        assert!(a.set_input(u64::MAX, 2).is_none());
    }

    #[test]
    fn budget_is_enforced_and_reported() {
        let mut a = Arena::default();
        assert_eq!(a.alloc(1 << 20, 4096), Err(AllocError::Budget));
        assert_eq!(a.alloc(MAX_ARENA_BYTES, u64::MAX), Err(AllocError::Budget));
        assert_eq!(a.alloc(u64::MAX, u64::MAX), Err(AllocError::Budget));
        assert!(a.alloc(1000, 4096).is_ok());
    }

    #[test]
    fn freed_blocks_are_reused_and_input_free_clears_length() {
        let mut a = Arena::default();
        let h1 = a.alloc(100, u64::MAX).unwrap();
        a.set_input(h1, 100).unwrap();
        a.free(h1);
        assert_eq!(a.input(), (h1, 0));
        assert_eq!(a.length(h1), 0);
        let h2 = a.alloc(50, u64::MAX).unwrap();
        assert_eq!(h1, h2);
        assert_eq!(a.length(h2), 50);
        // Double free and bogus free are harmless.
        a.free(h2);
        a.free(h2);
        a.free(12345);
    }

    #[test]
    fn input_loads_are_bounded_by_the_input_length() {
        let mut a = Arena::default();
        let h = a.alloc_bytes(b"0123456789", u64::MAX).unwrap();
        a.set_input(h, 10).unwrap();
        assert_eq!(a.input_load_u8(9), Some(b'9'));
        assert!(a.input_load_u8(10).is_none());
        assert!(a.input_load_u64(2).is_some());
        assert!(a.input_load_u64(3).is_none());
        assert!(a.input_load_u64(u64::MAX).is_none());
    }

    #[test]
    fn reset_forgets_blocks_but_keeps_capacity() {
        let mut a = Arena::default();
        let h = a.alloc(4096, u64::MAX).unwrap();
        let footprint = a.footprint();
        a.set_error(h);
        a.reset();
        assert_eq!(a.length(h), 0);
        assert_eq!(a.error(), 0);
        assert_eq!(a.footprint(), footprint);
        assert_eq!(a.alloc(10, u64::MAX), Ok(h));
    }

    #[test]
    fn a_recycled_buffer_reads_back_as_zeros() {
        let mut first = Arena::default();
        let h = first.alloc_bytes(&[0xAB; 4096], u64::MAX).unwrap();
        assert_eq!(first.load_u64(h), Some(u64::from_le_bytes([0xAB; 8])));
        let buf = first.take_buffer();
        assert!(buf.capacity() >= 4096);

        let mut next = Arena::with_buffer(buf);
        assert_eq!(next.footprint(), 0);
        let h = next.alloc(4096, u64::MAX).unwrap();
        for off in (h..h + 4096).step_by(8) {
            assert_eq!(next.load_u64(off), Some(0), "offset {off}");
        }
        // Nothing past the new allocation is reachable.
        assert!(next.load_u64(h + 4096).is_none());
    }
}
