// SPDX-License-Identifier: GPL-2.0
/*
 * report_attr.c - attribute the faults of a session model to sections and
 * symbols of the ELF files the trace names, with elfutils: libelf for the
 * program and section headers, libdwfl for the symbols (.symtab, else a
 * separate debug file found by build-id or debuglink, else .dynsym) and
 * the DWARF line of an address.
 *
 * Each object with a path (exe, interp, a library of an mmap event) is
 * opened under --root, as one Dwfl module whose addresses are the ELF's
 * own (bias 0): an address of the trace becomes the ELF's address by
 * the object's bias, from the trace (load_entry, load_interp) or from
 * the file offset of its mapping and the PT_LOAD that holds it.  A
 * wrapped exe (load_start elf_offset= not 0) is read at its ELF offset.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bft.h"
#include "report_model.h"

/* One object's file, kept open while the model lives. */
struct elf_file {
	Dwfl		*dwfl;
	Dwfl_Module	*mod;
	Elf		*elf;		/* the main file, owned by dwfl */
	void		*image;		/* a wrapped exe's ELF, malloc'ed */
	GElf_Addr	dwbias;		/* libdwfl's address = ELF's + this */
	int		fd;
};

struct attr_priv {
	size_t		n;
	struct elf_file	*files;		/* one per object, same index */
	char		*debuginfo_path;
};

struct find_arg {
	Elf		*elf;
	const char	*path;
};

/* Dwfl find_elf: the Elf we opened ourselves (at an ELF offset, maybe). */
static int give_elf(Dwfl_Module *mod, void **userdata, const char *modname,
		    Dwarf_Addr base, char **file_name, Elf **elfp)
{
	struct find_arg *arg = *userdata;

	(void)mod;
	(void)modname;
	(void)base;
	*elfp = arg->elf;
	*file_name = strdup(arg->path);
	arg->elf = NULL;	/* now libdwfl's */
	return -1;
}

static char *root_path(const char *root, const char *path)
{
	char *p;

	if (!root)
		return xstrdup(path);
	if (asprintf(&p, "%s%s%s", root, path[0] == '/' ? "" : "/",
		     path) < 0) {
		fprintf(stderr, "bft: out of memory\n");
		exit(EXIT_IO);
	}
	return p;
}

static void set_error(struct report_object *o, enum report_sym_state st,
		      const char *fmt, const char *what)
{
	char *msg;

	o->symbols = st;
	o->symbols_name = report_sym_state_name(st);
	if (asprintf(&msg, fmt, what) < 0)
		msg = NULL;
	free(o->error);
	o->error = msg;
}

/* The lowest and highest address of the PT_LOADs; false if none. */
static bool load_range(Elf *elf, GElf_Addr *lo, GElf_Addr *hi)
{
	size_t n, i;
	GElf_Phdr ph;
	bool any = false;

	if (elf_getphdrnum(elf, &n) != 0)
		return false;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (!any || ph.p_vaddr < *lo)
			*lo = ph.p_vaddr;
		if (!any || ph.p_vaddr + ph.p_memsz > *hi)
			*hi = ph.p_vaddr + ph.p_memsz;
		any = true;
	}
	return any && *hi > *lo;
}

/*
 * Read a wrapped file's ELF at @off into memory: libelf reads an ELF at
 * offset 0 of a file descriptor only.
 */
static Elf *elf_at_offset(struct elf_file *ef, uint64_t off)
{
	struct stat st;
	size_t len;
	ssize_t got;

	if (fstat(ef->fd, &st) < 0 || (uint64_t)st.st_size <= off)
		return NULL;
	len = st.st_size - off;
	ef->image = malloc(len);
	if (!ef->image)
		return NULL;
	got = pread(ef->fd, ef->image, len, off);
	if (got < 0 || (size_t)got != len)
		return NULL;
	return elf_memory(ef->image, len);
}

static const char *sym_source(struct report_object *o, struct elf_file *ef)
{
	const char *mainfile = NULL, *debugfile = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	bool symtab = false, dynsym = false;
	int nsyms;

	while ((scn = elf_nextscn(ef->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		symtab |= sh.sh_type == SHT_SYMTAB;
		dynsym |= sh.sh_type == SHT_DYNSYM;
	}
	nsyms = dwfl_module_getsymtab(ef->mod);
	dwfl_module_info(ef->mod, NULL, NULL, NULL, NULL, NULL, &mainfile,
			 &debugfile);
	if (debugfile && mainfile && strcmp(debugfile, mainfile))
		o->debug_file = xstrdup(debugfile);
	if (nsyms <= 0)
		o->symbols = RSYM_NO_SYMBOLS;
	else if (symtab)
		o->symbols = RSYM_SYMTAB;
	else if (o->debug_file)
		o->symbols = RSYM_DEBUGINFO;
	else if (dynsym)
		o->symbols = RSYM_DYNSYM;
	else
		o->symbols = RSYM_NO_SYMBOLS;
	o->symbols_name = report_sym_state_name(o->symbols);
	return o->symbols_name;
}

static void note_build_id(struct report_object *o, Dwfl_Module *mod)
{
	const unsigned char *id;
	GElf_Addr vaddr;
	int len, i;

	len = dwfl_module_build_id(mod, &id, &vaddr);
	if (len <= 0 || len > 20)
		return;
	for (i = 0; i < len; i++)
		snprintf(o->build_id + 2 * i, 3, "%02x", id[i]);
}

/* Open the object's file and report it to a Dwfl of its own. */
static void open_object(struct report_object *o, struct elf_file *ef,
			const char *root, char **debuginfo_path)
{
	Dwfl_Callbacks cb = {
		.find_elf = give_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.debuginfo_path = debuginfo_path,
	};
	struct find_arg arg;
	GElf_Addr lo = 0, hi = 0;
	void **user;
	Elf *elf;

	ef->fd = -1;
	o->opened = root_path(root, o->path);
	ef->fd = open(o->opened, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0) {
		set_error(o, RSYM_NOT_FOUND, "cannot open: %s",
			  strerror(errno));
		return;
	}
	if (o->elf_offset)
		elf = elf_at_offset(ef, o->elf_offset);
	else
		elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !load_range(elf, &lo, &hi)) {
		set_error(o, RSYM_BAD_ELF, "%s", elf && elf_kind(elf) ==
			  ELF_K_ELF ? "an ELF file without PT_LOAD" :
			  "not an ELF file elfutils can read");
		elf_end(elf);
		return;
	}
	ef->dwfl = dwfl_begin(&cb);
	if (!ef->dwfl) {
		elf_end(elf);
		set_error(o, RSYM_BAD_ELF, "%s", dwfl_errmsg(-1));
		return;
	}
	dwfl_report_begin(ef->dwfl);
	ef->mod = dwfl_report_module(ef->dwfl, o->path, lo & ~0xfffULL, hi);
	dwfl_report_end(ef->dwfl, NULL, NULL);
	arg = (struct find_arg){ .elf = elf, .path = o->opened };
	if (ef->mod) {
		dwfl_module_info(ef->mod, &user, NULL, NULL, NULL, NULL, NULL,
				 NULL);
		*user = &arg;
	}
	ef->elf = ef->mod ? dwfl_module_getelf(ef->mod, &ef->dwbias) : NULL;
	if (ef->mod)
		*user = NULL;
	if (arg.elf)
		elf_end(arg.elf);
	if (!ef->elf) {
		set_error(o, RSYM_BAD_ELF, "%s", dwfl_errmsg(-1));
		return;
	}
	note_build_id(o, ef->mod);
	sym_source(o, ef);
}

/* ------------------------------------------------------------------ */
/* One address                                                         */

/* The ELF address of file offset @off, by the PT_LOAD that holds it. */
static bool vaddr_of_offset(Elf *elf, uint64_t off, uint64_t *vaddr)
{
	size_t n, i;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n) != 0)
		return false;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (off >= ph.p_offset && off - ph.p_offset < ph.p_filesz) {
			*vaddr = ph.p_vaddr + (off - ph.p_offset);
			return true;
		}
	}
	return false;
}

/* The file offset of ELF address @vaddr, if it has file bytes. */
static bool offset_of_vaddr(Elf *elf, uint64_t vaddr, uint64_t *off)
{
	size_t n, i;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n) != 0)
		return false;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
			*off = ph.p_offset + (vaddr - ph.p_vaddr);
			return true;
		}
	}
	return false;
}

/* The allocated, non-TLS section that holds @vaddr. */
static const char *section_of(Elf *elf, uint64_t vaddr)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    (sh.sh_flags & SHF_TLS) || !sh.sh_size)
			continue;
		if (vaddr >= sh.sh_addr && vaddr - sh.sh_addr < sh.sh_size)
			return elf_strptr(elf, shstrndx, sh.sh_name);
	}
	return NULL;
}

/*
 * The symbol that holds ELF address @vaddr: the smallest sized function
 * or object that covers it, else a sized symbol of another type, else a
 * sizeless one exactly at it.  No nearest-preceding guess.
 */
static const char *symbol_of(struct elf_file *ef, uint64_t vaddr,
			     GElf_Sym *best)
{
	const char *name, *found = NULL;
	int n = dwfl_module_getsymtab(ef->mod), i, rank, best_rank = 0;
	GElf_Addr value;
	GElf_Word shndx;
	GElf_Sym sym;
	uint64_t want = vaddr + ef->dwbias;

	for (i = 1; i < n; i++) {
		name = dwfl_module_getsym_info(ef->mod, i, &sym, &value,
					       &shndx, NULL, NULL);
		if (!name || !*name || shndx == SHN_UNDEF ||
		    GELF_ST_TYPE(sym.st_info) == STT_SECTION ||
		    GELF_ST_TYPE(sym.st_info) == STT_FILE ||
		    GELF_ST_TYPE(sym.st_info) == STT_TLS || want < value)
			continue;
		if (sym.st_size && want - value < sym.st_size)
			rank = GELF_ST_TYPE(sym.st_info) == STT_FUNC ||
			       GELF_ST_TYPE(sym.st_info) == STT_OBJECT ? 3 : 2;
		else if (!sym.st_size && want == value)
			rank = 1;
		else
			continue;
		if (rank > best_rank || (rank == best_rank && rank > 1 &&
					 sym.st_size < best->st_size)) {
			best_rank = rank;
			found = name;
			*best = sym;
			best->st_value = value - ef->dwbias;
		}
	}
	return found;
}

/* The ELF header and program headers are in no section: name them. */
static const char *header_part(Elf *elf, uint64_t vaddr)
{
	GElf_Ehdr eh;
	GElf_Phdr ph;
	size_t n, i;

	if (!gelf_getehdr(elf, &eh) || elf_getphdrnum(elf, &n) != 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD ||
		    ph.p_offset != 0)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < eh.e_ehsize)
			return "[elf header]";
		if (vaddr >= ph.p_vaddr + eh.e_phoff &&
		    vaddr - ph.p_vaddr - eh.e_phoff <
		    (uint64_t)eh.e_phentsize * n)
			return "[program headers]";
	}
	return NULL;
}

/* Fill section, symbol and source line of @a, whose vaddr is known. */
static void lookup(struct report_attr *a, struct elf_file *ef)
{
	const char *name;
	GElf_Sym sym = { 0 };
	Dwfl_Line *line;
	int lineno;

	a->section = section_of(ef->elf, a->vaddr);
	if (!a->section)
		a->section = header_part(ef->elf, a->vaddr);
	if (!a->section) {
		a->state = RATTR_NO_SECTION;
		return;
	}
	name = symbol_of(ef, a->vaddr, &sym);
	if (!name) {
		a->state = RATTR_NO_SYMBOL;
	} else {
		a->state = RATTR_SYMBOL;
		a->symbol = name;
		a->sym_off = a->vaddr - sym.st_value;
		a->sym_size = sym.st_size;
	}
	line = dwfl_module_getsrc(ef->mod, a->vaddr + ef->dwbias);
	if (line) {
		a->src_file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL,
					    NULL);
		a->src_line = a->src_file ? lineno : 0;
	}
}

static void attribute(struct report_session *s, struct attr_priv *p,
		      struct report_attr *a)
{
	struct report_object *o;
	struct elf_file *ef;

	if (a->object == REPORT_NONE || a->state != RATTR_NO_FILE)
		return;
	o = &s->objects[a->object];
	ef = &p->files[a->object];
	if (!ef->elf)
		return;
	if (!o->has_bias && a->has_file_off &&
	    vaddr_of_offset(ef->elf, a->file_off, &a->vaddr)) {
		o->has_bias = true;
		o->bias = a->addr - a->vaddr;
	}
	if (!o->has_bias) {
		a->state = RATTR_NO_SECTION;
		return;
	}
	a->has_vaddr = true;
	a->vaddr = a->addr - o->bias;
	if (!a->has_file_off)
		a->has_file_off = offset_of_vaddr(ef->elf, a->vaddr,
						  &a->file_off);
	lookup(a, ef);
}

/* Whether ELF address @vaddr is inside one of @elf's PT_LOADs (memsz). */
static bool in_load_segment(Elf *elf, uint64_t vaddr)
{
	GElf_Phdr ph;
	size_t n, i;

	if (elf_getphdrnum(elf, &n) != 0)
		return false;
	for (i = 0; i < n; i++)
		if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD &&
		    vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_memsz)
			return true;
	return false;
}

/*
 * A library's bss beyond its last file page is an anonymous mapping that
 * ld.so puts there (mmap MAP_ANONYMOUS|MAP_FIXED): an address of an
 * anonymous object inside a library's PT_LOAD is that library's, as the
 * kernel's obj= says of the executable's bss.  Returns the library's
 * index, or REPORT_NONE.
 */
static size_t lib_of_anon(const struct report_session *s,
			  const struct attr_priv *p, uint64_t addr)
{
	size_t i;

	for (i = 0; i < s->nobjects; i++) {
		const struct report_object *o = &s->objects[i];

		if (o->kind == ROBJ_LIB && o->has_bias && p->files[i].elf &&
		    addr >= o->bias &&
		    in_load_segment(p->files[i].elf, addr - o->bias))
			return i;
	}
	return REPORT_NONE;
}

/* Move @a from an anonymous object to the library whose bss holds it. */
static bool claim_bss(struct report_session *s, struct attr_priv *p,
		      struct report_attr *a)
{
	size_t lib;

	if (a->object == REPORT_NONE ||
	    s->objects[a->object].kind != ROBJ_ANON)
		return false;
	lib = lib_of_anon(s, p, a->addr);
	if (lib == REPORT_NONE)
		return false;
	a->object = lib;
	a->mapping = REPORT_NONE;
	a->has_file_off = false;
	a->state = RATTR_NO_FILE;
	return true;
}

/* A fault moved by claim_bss() counts for its new object. */
static void move_counts(struct report_session *s, size_t from,
			const struct report_fault *f)
{
	struct report_object *old = &s->objects[from];
	struct report_object *new = &s->objects[f->at_addr.object];
	bool major = f->result == RRES_MAJOR;
	bool miss = f->cache == RCACHE_MISS;

	old->faults--;
	new->faults++;
	old->lat_ns -= f->lat_ns;
	new->lat_ns += f->lat_ns;
	old->major -= major;
	new->major += major;
	old->cache_miss -= miss;
	new->cache_miss += miss;
}

/* Append the allocated sections of @elf overlapping [lo, hi) to @out. */
static char *sections_in(Elf *elf, uint64_t lo, uint64_t hi)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx, len = 0;
	char *out = xstrdup("");
	const char *name;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return out;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    (sh.sh_flags & SHF_TLS) || !sh.sh_size ||
		    sh.sh_addr >= hi || sh.sh_addr + sh.sh_size <= lo)
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name)
			continue;
		out = xrealloc(out, len + strlen(name) + 2);
		len += sprintf(out + len, "%s%s", len ? " " : "", name);
	}
	return out;
}

/* The sections a file object's mmap, mprotect or munmap range covers. */
static void attribute_mm(struct report_session *s, struct attr_priv *p,
			 struct report_mm *m)
{
	uint64_t start = m->kind == RMM_MMAP ? m->result : m->addr;
	const struct report_object *o;

	if (!m->ok || !m->len || m->object == REPORT_NONE ||
	    m->kind == RMM_BRK || m->kind == RMM_MREMAP)
		return;
	o = &s->objects[m->object];
	if (o->kind > ROBJ_LIB || !o->has_bias || !p->files[m->object].elf ||
	    start < o->bias)
		return;
	m->sections = sections_in(p->files[m->object].elf, start - o->bias,
				  start - o->bias + m->len);
}

/*
 * The program's main(), from its symbol table: placed at the address its
 * bias gives, and attributed like a fault's address.
 */
static void find_main(struct report_session *s, struct attr_priv *p)
{
	size_t exe = s->exe_entry_at.object;
	struct report_attr *a = &s->main_at;
	struct elf_file *ef;
	GElf_Addr value;
	GElf_Sym sym;
	const char *name;
	int i, n;

	if (exe == REPORT_NONE || s->objects[exe].kind != ROBJ_EXE ||
	    !s->objects[exe].has_bias || !p->files[exe].mod)
		return;
	ef = &p->files[exe];
	n = dwfl_module_getsymtab(ef->mod);
	for (i = 1; i < n; i++) {
		name = dwfl_module_getsym_info(ef->mod, i, &sym, &value,
					       NULL, NULL, NULL);
		if (!name || strcmp(name, "main") ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC)
			continue;
		a->object = exe;
		a->has_vaddr = true;
		a->vaddr = value - ef->dwbias;
		a->addr = a->vaddr + s->objects[exe].bias;
		a->has_file_off = offset_of_vaddr(ef->elf, a->vaddr,
						  &a->file_off);
		lookup(a, ef);
		return;
	}
}

/* ------------------------------------------------------------------ */

int report_session_attribute(struct report_session *s, const char *root)
{
	struct attr_priv *p;
	char *abs_root;
	size_t i;

	elf_version(EV_CURRENT);
	p = xrealloc(NULL, sizeof(*p));
	memset(p, 0, sizeof(*p));
	p->n = s->nobjects;
	p->files = xrealloc(NULL, (p->n ? p->n : 1) * sizeof(*p->files));
	memset(p->files, 0, (p->n ? p->n : 1) * sizeof(*p->files));
	/* libdwfl takes only absolute directories for build-id paths. */
	abs_root = root ? realpath(root, NULL) : NULL;
	if (abs_root && asprintf(&p->debuginfo_path,
				 ":.debug:%s/usr/lib/debug", abs_root) < 0)
		p->debuginfo_path = NULL;
	s->attr_priv = p;
	for (i = 0; i < p->n; i++) {
		p->files[i].fd = -1;
		if (s->objects[i].path)
			open_object(&s->objects[i], &p->files[i], root,
				    p->debuginfo_path ? &p->debuginfo_path :
							NULL);
	}
	/* Debug files are named as in the traced system: under the root. */
	for (i = 0; abs_root && i < p->n; i++) {
		char *d = s->objects[i].debug_file;
		size_t len = strlen(abs_root);

		if (d && !strncmp(d, abs_root, len) && d[len] == '/')
			memmove(d, d + len, strlen(d + len) + 1);
	}
	free(abs_root);
	for (i = 0; i < s->nfaults; i++) {
		struct report_fault *f = &s->faults[i];
		size_t was = f->at_addr.object;

		if (claim_bss(s, p, &f->at_addr))
			move_counts(s, was, f);
		claim_bss(s, p, &f->at_ip);
		attribute(s, p, &f->at_addr);
		attribute(s, p, &f->at_ip);
	}
	for (i = 0; i < s->nmm; i++)
		attribute_mm(s, p, &s->mm[i]);
	if (s->has_entry) {
		attribute(s, p, &s->entry_at);
		attribute(s, p, &s->exe_entry_at);
		find_main(s, p);
	}
	return 0;
}

void report_session_attr_free(struct report_session *s)
{
	struct attr_priv *p = s->attr_priv;
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		if (p->files[i].dwfl)
			dwfl_end(p->files[i].dwfl);
		free(p->files[i].image);
		if (p->files[i].fd >= 0)
			close(p->files[i].fd);
	}
	free(p->files);
	free(p->debuginfo_path);
	free(p);
	s->attr_priv = NULL;
}
