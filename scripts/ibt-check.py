#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ibt-check.py - is any function binfmt_trace calls through a pointer sealed?

Usage: ibt-check.py --kver K --vmlinuz FILE --config FILE --kallsyms FILE
                    --module FILE

A kernel built with CONFIG_X86_KERNEL_IBT lists, in the section
.ibt_endbr_seal of its vmlinux, every function that nothing calls through a
pointer: one 32-bit offset per function, relative to the entry itself.  At
boot it overwrites ("seals") the ENDBR64 at each, and on a CPU that enforces
IBT an indirect call to a sealed function faults.  QEMU's TCG has no CET, so
no test in the VM can see that fault; this test reads the list instead:

  1. the vmlinux, decompressed from the bzImage's payload (what the
     kernel's scripts/extract-vmlinux does), gives the sealed addresses;
  2. the /proc/kallsyms that the test VM dumped (qemu/init) names them, the
     KASLR offset being the distance of _text from the vmlinux's .text;
  3. the built module's section .bft_ksym_names (ksyms.c) lists every
     symbol the module resolves; each that kallsyms calls a function (t/T)
     is one the module calls through a pointer, and must not be sealed.

Prints one TAP line, "ok - ibt: K: ..." or "not ok - ibt: K: ...", with
'#' lines of detail, and exits 0 only for "ok".
"""

import argparse
import lzma
import struct
import subprocess
import sys

SEAL_SECTION = ".ibt_endbr_seal"
NAMES_SECTION = ".bft_ksym_names"


class CheckError(Exception):
    pass


def elf_sections(data, what):
    """{name: (addr, offset, size)} of an ELF64 little-endian file."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise CheckError(f"{what} is not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shoff + shnum * shentsize > len(data):
        raise CheckError(f"{what}: section headers beyond the end of the file")
    headers = []
    for i in range(shnum):
        name, _, _, addr, off, size = struct.unpack_from(
            "<IIQQQQ", data, shoff + i * shentsize)
        headers.append((name, addr, off, size))
    strtab_off, strtab_size = headers[shstrndx][2], headers[shstrndx][3]
    strtab = data[strtab_off:strtab_off + strtab_size]
    sections = {}
    for name, addr, off, size in headers:
        end = strtab.index(b"\0", name)
        sections[strtab[name:end].decode()] = (addr, off, size)
    return sections


def extract_vmlinux(path):
    """The vmlinux ELF inside a bzImage (xz, zstd or gzip payload)."""
    with open(path, "rb") as f:
        image = f.read()
    if image[0x202:0x206] != b"HdrS":
        raise CheckError(f"{path} is not a bzImage")
    setup_sects = image[0x1F1] or 4
    payload_offset, payload_length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + payload_offset
    payload = image[start:start + payload_length]
    if payload.startswith(b"\xfd7zXZ\0"):
        # The payload ends with the decompressed size, which xz calls
        # trailing garbage; take what decompresses.
        out = lzma.LZMADecompressor().decompress(payload)
    elif payload.startswith(b"\x28\xb5\x2f\xfd"):
        # zstd stops with an error at the same trailer, after writing
        # the whole frame; the ELF checks below catch a short result.
        out = subprocess.run(["zstd", "-dcq"], input=payload,
                             capture_output=True).stdout
    elif payload.startswith(b"\x1f\x8b"):
        out = subprocess.run(["gzip", "-dc"], input=payload,
                             capture_output=True).stdout
    else:
        raise CheckError(f"{path}: unknown compression "
                         f"{payload[:6].hex()}")
    if not out.startswith(b"\x7fELF"):
        raise CheckError(f"{path}: the payload did not decompress to ELF")
    return out


def sealed_addresses(vmlinux):
    """(link-time address of .text, list of sealed link-time addresses);
    the list is None if the vmlinux has no .ibt_endbr_seal."""
    sections = elf_sections(vmlinux, "vmlinux")
    if ".text" not in sections:
        raise CheckError("vmlinux has no .text")
    text = sections[".text"][0]
    if SEAL_SECTION not in sections:
        return text, None
    addr, off, size = sections[SEAL_SECTION]
    sealed = []
    for i in range(0, size, 4):
        rel, = struct.unpack_from("<i", vmlinux, off + i)
        sealed.append(addr + i + rel)
    return text, sealed


def module_names(path):
    with open(path, "rb") as f:
        data = f.read()
    sections = elf_sections(data, path)
    if NAMES_SECTION not in sections:
        raise CheckError(f"{path} has no section {NAMES_SECTION}")
    _, off, size = sections[NAMES_SECTION]
    return [n.decode() for n in data[off:off + size].split(b"\0") if n]


def read_kallsyms(path):
    """{name: [(address, type)]} of the core kernel's symbols."""
    symbols = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) != 3:    # a module's symbol: "[module]" follows
                continue
            addr, kind, name = fields
            symbols.setdefault(name, []).append((int(addr, 16), kind))
    if not symbols:
        raise CheckError(f"{path} lists no kernel symbol")
    if all(a == 0 for entries in symbols.values() for a, _ in entries):
        raise CheckError(f"{path} shows no addresses (kptr_restrict)")
    return symbols


def config_has_ibt(path):
    with open(path) as f:
        return any(line.strip() == "CONFIG_X86_KERNEL_IBT=y" for line in f)


def check(args):
    """Returns (ok, summary, detail lines)."""
    names = module_names(args.module)
    symbols = read_kallsyms(args.kallsyms)
    ibt = config_has_ibt(args.config)
    text, sealed = sealed_addresses(extract_vmlinux(args.vmlinuz))
    detail = []

    missing = [n for n in names if n not in symbols]
    if missing:
        return False, ("the module resolves symbols this kernel does not "
                       "have: " + ", ".join(missing)), detail
    functions = sorted(n for n in names
                       if any(k in "tT" for _, k in symbols[n]))
    variables = sorted(n for n in names if n not in functions)
    detail.append("functions the module calls through a pointer: "
                  + (", ".join(functions) or "none"))
    detail.append("variables it reads: " + ", ".join(variables))
    # register_kprobe() resolves a name to its first kallsyms entry; every
    # entry of a function is checked below, but a name the kernel has
    # twice is worth knowing about.
    several = [n for n in names if len(symbols[n]) > 1]
    if several:
        detail.append("names with several kallsyms entries: "
                      + ", ".join(several))

    if sealed is None:
        if ibt:
            return False, ("CONFIG_X86_KERNEL_IBT=y but the vmlinux has no "
                           f"{SEAL_SECTION}"), detail
        return True, ("no function the module calls through a pointer "
                      "is sealed: the kernel is built without "
                      f"CONFIG_X86_KERNEL_IBT (no {SEAL_SECTION} in its "
                      "vmlinux) and seals nothing"), detail
    if not ibt:
        return False, (f"the vmlinux has {SEAL_SECTION} but the config "
                       "has no CONFIG_X86_KERNEL_IBT=y"), detail

    if "_text" not in symbols:
        raise CheckError(f"{args.kallsyms} has no _text")
    kaslr = symbols["_text"][0][0] - text
    sealed = {a + kaslr for a in sealed}
    starts = {}
    for name, entries in symbols.items():
        for addr, kind in entries:
            if kind in "tT":
                starts.setdefault(addr, []).append(name)
    named = sum(1 for a in sealed if a in starts)
    detail.append(f"{len(sealed)} sealed functions, {named} of them at a "
                  f"kallsyms function's first byte (KASLR offset {kaslr:#x})")
    # A wrong offset or a kallsyms of another build names almost none.
    if named < len(sealed) * 9 // 10:
        return False, ("the sealed addresses do not match this kallsyms: "
                       "a kallsyms of another kernel?"), detail

    bad = []
    for name in functions:
        for addr, kind in symbols[name]:
            if kind in "tT" and addr in sealed:
                bad.append(f"{name} ({addr:#x})")
    if bad:
        return False, ("the module calls sealed functions through a "
                       "pointer: " + ", ".join(bad)), detail
    return True, (f"no function the module calls through a pointer is "
                  f"sealed ({len(functions)} checked against "
                  f"{len(sealed)} sealed)"), detail


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for opt in ("--kver", "--vmlinuz", "--config", "--kallsyms", "--module"):
        parser.add_argument(opt, required=True)
    args = parser.parse_args()
    try:
        ok, summary, detail = check(args)
    except (CheckError, OSError) as e:
        ok, summary, detail = False, f"cannot check: {e}", []
    print(f"{'ok' if ok else 'not ok'} - ibt: {args.kver}: {summary}")
    for line in detail:
        print(f"#   {line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
