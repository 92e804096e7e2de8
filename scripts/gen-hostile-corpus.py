#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the corpus of malformed executables for test_hostile.

Usage: gen-hostile-corpus.py STATIC-ELF DYNAMIC-ELF OUT-DIR

Each case is a copy of a good ELF (a static ET_EXEC, or a dynamic PIE for
the interpreter cases) with one header or program-header field set to a
boundary or hostile value.  Writes OUT-DIR/NAME.elf for every case and
OUT-DIR/hostile_cases.h, one HOSTILE_CASE(id, "file") line per case, from
which the test builds one kselftest variant per case.  In the guest each
case runs plain (kernel ELF loader) and wrapped (binfmt_trace); the two
outcomes must be the same.
"""
import os
import struct
import sys

EHDR = struct.Struct('<16sHHIQQQIHHHHHH')
PHDR = struct.Struct('<IIQQQQQQ')
PT_LOAD, PT_INTERP = 1, 3

# Paths baked into interpreter cases; test_hostile.c creates them.
NOT_ELF_INTERP = b'/tmp/hostile/not-an-elf'
WRAPPED_INTERP = b'/tmp/hostile/wrapped-interp'


class Elf:
    def __init__(self, data):
        self.data = bytearray(data)

    def ehdr(self):
        return list(EHDR.unpack_from(self.data, 0))

    def set_ehdr(self, field, value):
        names = ['ident', 'type', 'machine', 'version', 'entry', 'phoff',
                 'shoff', 'flags', 'ehsize', 'phentsize', 'phnum',
                 'shentsize', 'shnum', 'shstrndx']
        h = self.ehdr()
        h[names.index(field)] = value
        EHDR.pack_into(self.data, 0, *h)

    def phdr_offset(self, i):
        h = self.ehdr()
        return h[5] + i * h[9]

    def phdrs(self):
        n = self.ehdr()[10]
        return [list(PHDR.unpack_from(self.data, self.phdr_offset(i)))
                for i in range(n)]

    def set_phdr(self, i, **fields):
        names = ['type', 'flags', 'offset', 'vaddr', 'paddr', 'filesz',
                 'memsz', 'align']
        p = list(PHDR.unpack_from(self.data, self.phdr_offset(i)))
        for k, v in fields.items():
            p[names.index(k)] = v
        PHDR.pack_into(self.data, self.phdr_offset(i), *p)

    def index(self, ptype, nth=0):
        found = [i for i, p in enumerate(self.phdrs()) if p[0] == ptype]
        return found[nth]

    def set_ident(self, pos, value):
        self.data[pos] = value


def cases(static, dynamic):
    """Yield (name, bytes) for every malformed executable."""
    def mutate(base, fn):
        e = Elf(base)
        fn(e)
        return bytes(e.data)

    s, d = static, dynamic
    load = lambda e, n=0: e.index(PT_LOAD, n)
    interp = lambda e: e.index(PT_INTERP)
    size = len(s)

    # Truncations.
    yield 'truncated_to_4_bytes', s[:4]
    yield 'truncated_inside_elf_header', s[:40]
    yield 'truncated_after_elf_header', s[:64]
    yield 'truncated_inside_phdrs', s[:64 + 56 + 20]
    yield 'truncated_inside_first_segment', s[:0x800]
    yield 'truncated_to_half', s[:size // 2]

    # ELF header fields.
    yield 'bad_magic', mutate(s, lambda e: e.set_ident(1, ord('X')))
    yield 'class_32', mutate(s, lambda e: e.set_ident(4, 1))
    yield 'class_none', mutate(s, lambda e: e.set_ident(4, 0))
    yield 'big_endian', mutate(s, lambda e: e.set_ident(5, 2))
    yield 'ident_version_0', mutate(s, lambda e: e.set_ident(6, 0))
    yield 'type_rel', mutate(s, lambda e: e.set_ehdr('type', 1))
    yield 'type_core', mutate(s, lambda e: e.set_ehdr('type', 4))
    yield 'type_none', mutate(s, lambda e: e.set_ehdr('type', 0))
    yield 'machine_i386', mutate(s, lambda e: e.set_ehdr('machine', 3))
    yield 'machine_aarch64', mutate(s, lambda e: e.set_ehdr('machine', 183))
    yield 'phentsize_0', mutate(s, lambda e: e.set_ehdr('phentsize', 0))
    yield 'phentsize_55', mutate(s, lambda e: e.set_ehdr('phentsize', 55))
    yield 'phentsize_64', mutate(s, lambda e: e.set_ehdr('phentsize', 64))
    yield 'phnum_0', mutate(s, lambda e: e.set_ehdr('phnum', 0))
    yield 'phnum_65535', mutate(s, lambda e: e.set_ehdr('phnum', 65535))
    yield 'phnum_past_size_cap', mutate(s, lambda e: e.set_ehdr('phnum', 1171))
    yield 'phoff_past_eof', mutate(s, lambda e: e.set_ehdr('phoff', size - 10))
    yield 'phoff_huge', mutate(s, lambda e: e.set_ehdr('phoff', 1 << 62))
    yield 'phoff_overflowing', mutate(s, lambda e: e.set_ehdr('phoff', (1 << 64) - 8))
    yield 'entry_kernel_address', mutate(
        s, lambda e: e.set_ehdr('entry', 0xffffffff81000000))

    # PT_LOAD fields.
    yield 'filesz_above_memsz', mutate(
        s, lambda e: e.set_phdr(load(e, 3), filesz=e.phdrs()[load(e, 3)][6] + 0x1000))
    yield 'offset_vaddr_incongruent', mutate(
        s, lambda e: e.set_phdr(load(e, 1), offset=e.phdrs()[load(e, 1)][2] + 1))
    yield 'offset_past_eof', mutate(
        s, lambda e: e.set_phdr(load(e, 2), offset=(size + 0x10000) & ~0xfff |
                                (e.phdrs()[load(e, 2)][3] & 0xfff)))
    yield 'align_0', mutate(s, lambda e: e.set_phdr(load(e, 1), align=0))
    yield 'align_not_power_of_2', mutate(s, lambda e: e.set_phdr(load(e, 1), align=0x3000))
    yield 'align_huge', mutate(s, lambda e: e.set_phdr(load(e, 0), align=1 << 40))
    yield 'overlapping_loads', mutate(
        s, lambda e: e.set_phdr(load(e, 2), vaddr=e.phdrs()[load(e, 1)][3],
                                offset=e.phdrs()[load(e, 1)][2]))

    def swap_loads(e):
        a, b = load(e, 1), load(e, 2)
        pa, pb = e.phdrs()[a], e.phdrs()[b]
        PHDR.pack_into(e.data, e.phdr_offset(a), *pb)
        PHDR.pack_into(e.data, e.phdr_offset(b), *pa)
    yield 'unsorted_loads', mutate(s, swap_loads)
    yield 'memsz_huge', mutate(s, lambda e: e.set_phdr(load(e, 3), memsz=1 << 47))
    yield 'vaddr_in_kernel', mutate(
        s, lambda e: e.set_phdr(load(e, 3), vaddr=0xffff800000000000))
    yield 'vaddr_zero_page', mutate(
        s, lambda e: e.set_phdr(load(e, 0), vaddr=0, paddr=0))

    # PT_INTERP.
    def set_interp(e, path):
        i = interp(e)
        off = e.phdrs()[i][2]
        e.data[off:off + len(path)] = path
        e.set_phdr(i, filesz=len(path))
    yield 'interp_empty', mutate(d, lambda e: set_interp(e, b'\0'))
    yield 'interp_filesz_0', mutate(d, lambda e: e.set_phdr(interp(e), filesz=0))
    yield 'interp_unterminated', mutate(
        d, lambda e: e.set_phdr(interp(e), filesz=e.phdrs()[interp(e)][5] - 1))
    yield 'interp_4096_bytes', mutate(d, lambda e: e.set_phdr(interp(e), filesz=4096))
    yield 'interp_4097_bytes', mutate(d, lambda e: e.set_phdr(interp(e), filesz=4097))
    yield 'interp_past_eof', mutate(d, lambda e: e.set_phdr(interp(e), offset=len(d) - 4))
    yield 'interp_not_elf', mutate(d, lambda e: set_interp(e, NOT_ELF_INTERP + b'\0'))
    yield 'interp_wrapped', mutate(d, lambda e: set_interp(e, WRAPPED_INTERP + b'\0'))
    yield 'interp_is_directory', mutate(d, lambda e: set_interp(e, b'/tmp\0'))


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    static = open(sys.argv[1], 'rb').read()
    dynamic = open(sys.argv[2], 'rb').read()
    out = sys.argv[3]
    os.makedirs(out, exist_ok=True)
    lines = []
    for name, data in cases(static, dynamic):
        with open(os.path.join(out, name + '.elf'), 'wb') as f:
            f.write(data)
        lines.append(f'HOSTILE_CASE({name}, "{name}.elf")\n')
    with open(os.path.join(out, 'hostile_cases.h'), 'w') as f:
        f.write('/* Generated by scripts/gen-hostile-corpus.py. */\n')
        f.writelines(lines)
    return 0


if __name__ == '__main__':
    sys.exit(main())
