// SPDX-License-Identifier: GPL-2.0
/*
 * bft - make, inspect and undo binfmt_trace wrapped executables, and
 * read what binfmt_trace records about them.
 *
 * A wrapped executable is a struct bft_header, zero padding up to
 * BFT_ELF_ALIGN, then an unmodified ELF file (see bft_format.h and
 * docs/format.md).  This file has wrap, unwrap, info, help and the
 * command table; run.c, trace_stream.c and summarize.c have the commands
 * that read the trace (docs/trace-format.md).
 *
 * Exit status: 0 success, 1 I/O error, 2 usage error or bad input;
 * bft run exits as the program it ran did.
 */
#define _GNU_SOURCE

#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bft.h"
#include "trace_dir.h"

_Static_assert(sizeof(struct bft_header) == 64, "bft_header must be 64 bytes");
_Static_assert(offsetof(struct bft_header, version) == 8, "version");
_Static_assert(offsetof(struct bft_header, header_size) == 10, "header_size");
_Static_assert(offsetof(struct bft_header, flags) == 12, "flags");
_Static_assert(offsetof(struct bft_header, elf_offset) == 16, "elf_offset");
_Static_assert(offsetof(struct bft_header, elf_size) == 24, "elf_size");
_Static_assert(offsetof(struct bft_header, label) == 32, "label");

#define HDR_OFF(field)	offsetof(struct bft_header, field)

static const struct cmd cmds[];

/* ------------------------------------------------------------------ */
/* Messages and usage                                                  */

static void usage_all(FILE *f);

static void cmd_synopsis(const struct cmd *cmd, FILE *f)
{
	fprintf(f, "usage: bft %s %s\n", cmd->name, cmd->synopsis);
}

static void cmd_usage(const struct cmd *cmd, FILE *f)
{
	cmd_synopsis(cmd, f);
	fprintf(f, "\n%s\n", cmd->summary);
}

__attribute__((format(printf, 2, 3)))
int usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bft%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd) {
		cmd_synopsis(cmd, stderr);
		fprintf(stderr, "Run 'bft %s --help' for details.\n",
			cmd->name);
	} else {
		usage_all(stderr);
	}
	return EXIT_BAD;
}

__attribute__((format(printf, 2, 3)))
static int bad_input(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bft: %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD;
}

/* "bft: PATH: cannot WHAT: strerror(errno)", for I/O errors. */
int io_error(const char *path, const char *what)
{
	fprintf(stderr, "bft: %s: %s: %s\n", path, what, strerror(errno));
	return EXIT_IO;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fprintf(stderr, "bft: out of memory\n");
		exit(EXIT_IO);
	}
	return p;
}

char *xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(xrealloc(NULL, len), s, len);
}

/* ------------------------------------------------------------------ */
/* Reading and writing whole files                                     */

/*
 * Read everything from @fd, which may be a pipe, into @b->data.  Returns
 * -1 with errno set on failure; the caller frees @b->data either way.
 */
static int read_all(int fd, struct blob *b)
{
	size_t cap = 64 * 1024;
	ssize_t n;

	b->data = malloc(cap);
	b->len = 0;
	if (!b->data)
		return -1;
	for (;;) {
		if (b->len == cap) {
			unsigned char *p = realloc(b->data, cap * 2);

			if (!p)
				return -1;
			b->data = p;
			cap *= 2;
		}
		n = read(fd, b->data + b->len, cap - b->len);
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			b->len += n;
	}
}

/*
 * Read the file at @path into @b.  Returns 0, or -1 with errno set and
 * *@what saying which step failed ("cannot open" or "cannot read"); the
 * caller frees @b->data either way.
 */
int read_file(const char *path, struct blob *b, const char **what)
{
	struct stat st;
	int fd, ret = 0, saved;

	memset(b, 0, sizeof(*b));
	*what = "cannot open";
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	*what = "cannot read";
	if (fstat(fd, &st) < 0 || read_all(fd, b) < 0)
		ret = -1;
	else
		b->mode = st.st_mode & 07777;
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

static int load_file(const char *path, struct blob *b)
{
	const char *what;

	if (read_file(path, b, &what) < 0)
		return io_error(path, what);
	return EXIT_OK;
}

int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* "dir/.bft-XXXXXX" for mkstemp(), in the directory of @path. */
static char *temp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *tmpl;

	if (!slash)
		return strdup(".bft-XXXXXX");
	if (asprintf(&tmpl, "%.*s/.bft-XXXXXX", (int)(slash - path), path) < 0)
		return NULL;
	return tmpl;
}

/* Best effort: make the rename itself durable. */
static void sync_dir_of(const char *tmp)
{
	char *dir = strdup(tmp);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	int fd;

	if (!dir)
		return;
	if (slash)
		*slash = '\0';
	fd = open(slash ? (*dir ? dir : "/") : ".",
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Write @chunks to @path atomically: into a temporary file in the same
 * directory, fsync, then rename() over @path.  @path is either replaced
 * completely or left untouched, and no temporary file is left behind.
 * Anything at @path but a regular file is refused (exit 2).
 */
static int write_file(const char *path, mode_t mode,
		      const struct chunk *chunks, int nchunks)
{
	struct stat st;
	char *tmp;
	int fd, i, saved;

	/*
	 * rename() would replace a device node, a FIFO or a symlink with a
	 * regular file: only ever replace a regular file.
	 */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return bad_input(path, "exists and is not a regular file: "
				 "not replaced");
	tmp = temp_template(path);
	if (!tmp)
		return io_error(path, "cannot create temporary file");
	fd = mkstemp(tmp);
	if (fd < 0) {
		io_error(path, "cannot create temporary file");
		free(tmp);
		return EXIT_IO;
	}
	for (i = 0; i < nchunks; i++)
		if (write_all(fd, chunks[i].data, chunks[i].len) < 0)
			goto fail;
	/*
	 * Set the mode only after writing: a write by an unprivileged
	 * user clears setuid/setgid.
	 */
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
		goto fail;
	saved = close(fd);
	fd = -1;
	if (saved < 0 || rename(tmp, path) < 0)
		goto fail;
	sync_dir_of(tmp);
	free(tmp);
	return EXIT_OK;

fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return io_error(path, "cannot write");
}

/* ------------------------------------------------------------------ */
/* The wrapper header                                                  */

static uint16_t get_le16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

static uint32_t get_le32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static void put_le16(unsigned char *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, sizeof(v));
}

static void put_le32(unsigned char *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static void put_le64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

static bool has_bft_magic(const struct blob *b)
{
	return b->len >= BFT_MAGIC_LEN &&
	       memcmp(b->data, BFT_MAGIC, BFT_MAGIC_LEN) == 0;
}

static void encode_header(unsigned char *p, const struct hdr *h)
{
	memset(p, 0, BFT_HDR_SIZE);
	memcpy(p + HDR_OFF(magic), BFT_MAGIC, BFT_MAGIC_LEN);
	put_le16(p + HDR_OFF(version), h->version);
	put_le16(p + HDR_OFF(header_size), h->header_size);
	put_le32(p + HDR_OFF(flags), h->flags);
	put_le64(p + HDR_OFF(elf_offset), h->elf_offset);
	put_le64(p + HDR_OFF(elf_size), h->elf_size);
	memcpy(p + HDR_OFF(label), h->label, strlen(h->label));
}

/*
 * Decode and check the header of @b, read from @path.  Returns EXIT_OK if
 * it is a well-formed wrapped executable; else says why and returns
 * EXIT_BAD.
 */
static int decode_header(const char *path, const struct blob *b,
			 struct hdr *h)
{
	const unsigned char *p = b->data;

	if (!has_bft_magic(b))
		return bad_input(path, "not a wrapped executable (no %s magic)",
				 BFT_MAGIC);
	if (b->len < BFT_HDR_SIZE)
		return bad_input(path, "truncated wrapper header");
	h->version = get_le16(p + HDR_OFF(version));
	h->header_size = get_le16(p + HDR_OFF(header_size));
	h->flags = get_le32(p + HDR_OFF(flags));
	h->elf_offset = get_le64(p + HDR_OFF(elf_offset));
	h->elf_size = get_le64(p + HDR_OFF(elf_size));
	memcpy(h->label, p + HDR_OFF(label), BFT_LABEL_LEN);
	h->label[BFT_LABEL_LEN] = '\0';

	if (h->version != BFT_VERSION)
		return bad_input(path, "unsupported wrapper version %u "
				 "(this bft knows %d)", h->version, BFT_VERSION);
	if (h->header_size != BFT_HDR_SIZE)
		return bad_input(path, "bad header_size %u (expected %zu)",
				 h->header_size, BFT_HDR_SIZE);
	if (h->elf_offset == 0 || h->elf_offset % BFT_ELF_ALIGN)
		return bad_input(path, "elf_offset %llu is not a non-zero "
				 "multiple of %d",
				 (unsigned long long)h->elf_offset,
				 BFT_ELF_ALIGN);
	/* As the module: an ELF of no bytes is no ELF. */
	if (h->elf_offset >= b->len)
		return bad_input(path, "elf_offset %llu is not inside the "
				 "file (%zu bytes)",
				 (unsigned long long)h->elf_offset, b->len);
	if (h->elf_size != b->len - h->elf_offset)
		return bad_input(path, "elf_offset + elf_size (%llu + %llu) "
				 "is not the file size (%zu bytes)",
				 (unsigned long long)h->elf_offset,
				 (unsigned long long)h->elf_size, b->len);
	return EXIT_OK;
}

static int load_wrapped(const char *path, struct blob *b, struct hdr *h)
{
	int ret;

	ret = load_file(path, b);
	if (ret)
		return ret;
	return decode_header(path, b, h);
}

/* ------------------------------------------------------------------ */
/* Option parsing                                                      */

/*
 * getopt_long() with @shortopts (which must start with ':' or "+:" and
 * have 'h'): handles --help and reports unknown options and missing
 * arguments, like next_opt().
 */
int next_opt_from(const struct cmd *cmd, int argc, char **argv,
		  const char *shortopts, const struct option *longopts,
		  int *ret)
{
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);

	switch (c) {
	case OPT_HELP:
		cmd_usage(cmd, stdout);
		*ret = EXIT_HELP;
		return -2;
	case ':':
		*ret = usage_error(cmd, "option '%s' needs an argument",
				   argv[optind - 1]);
		return -2;
	case '?':
		if (optopt)
			*ret = usage_error(cmd, "unknown option '-%c'", optopt);
		else
			*ret = usage_error(cmd, "unknown option '%s'",
					   argv[optind - 1]);
		return -2;
	}
	return c;
}

/*
 * getopt_long() wrapper: handles --help and reports unknown options and
 * missing arguments.  Returns the option, -1 at the end, or -2 when the
 * command should return *ret (EXIT_HELP or EXIT_BAD).
 */
int next_opt(const struct cmd *cmd, int argc, char **argv,
	     const struct option *longopts, int *ret)
{
	return next_opt_from(cmd, argc, argv, ":h", longopts, ret);
}

/*
 * Like next_opt(), but options end at the first operand, so that in
 * "bft run prog -x" the -x belongs to prog.
 */
int next_opt_until_operand(const struct cmd *cmd, int argc, char **argv,
			   const struct option *longopts, int *ret)
{
	return next_opt_from(cmd, argc, argv, "+:h", longopts, ret);
}

/* A decimal option argument in [1, @max]; a usage error otherwise. */
int parse_number(const struct cmd *cmd, const char *opt, const char *arg,
		 unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || *arg < '0' || *arg > '9' ||
	    *out == 0 || *out > max)
		return usage_error(cmd, "%s needs a number from 1 to %lu, "
				   "not '%s'", opt, max, arg);
	return EXIT_OK;
}

/* Check that exactly @want operands are left after the options. */
int want_operands(const struct cmd *cmd, int argc, int want)
{
	if (argc - optind < want)
		return usage_error(cmd, "missing operand");
	if (argc - optind > want)
		return usage_error(cmd, "too many operands");
	return EXIT_OK;
}

static const struct option help_only[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ }
};

/* Parse a command that takes no options besides --help. */
static int parse_plain(const struct cmd *cmd, int argc, char **argv, int want)
{
	int c, ret = EXIT_OK;

	while ((c = next_opt(cmd, argc, argv, help_only, &ret)) >= 0)
		;
	if (c == -2)
		return ret;
	return want_operands(cmd, argc, want);
}

/* ------------------------------------------------------------------ */
/* bft wrap                                                            */

static const char *elf_not_a_program(const unsigned char *p, uint64_t len);

/* MAX_LFS_FILESIZE: no file offset, hence no file mapping, goes past it. */
#define LFS_MAX		0x7fffffffffffffffULL
#define PAGE		4096ULL

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

static uint64_t pgoff_of(const unsigned char *ph)
{
	return get_le64(ph + offsetof(Elf64_Phdr, p_vaddr)) & (PAGE - 1);
}

/*
 * Would a PT_LOAD of the little-endian ELF64 @b, mapped BFT_ELF_ALIGN
 * bytes further into a wrapped file, end past the last offset mmap maps
 * (file_mmap_ok(): EOVERFLOW)?  Each PT_LOAD is mapped from its page-
 * aligned p_offset with its p_filesz (plus its page offset), the first
 * PT_LOAD of an ET_DYN with the span of all of them, as elf_map() does.
 * Such a mapping ends within a page of MAX_LFS_FILESIZE or beyond it:
 * no file has bytes there, but the kernel maps them bare (and SIGBUS on
 * touch) where a wrapped file fails to map at all (docs/format.md).
 * Program headers outside @b are left to the loader.  Returns the index
 * of the first such PT_LOAD, or -1.
 */
static long lfs_overflowing_load(const struct blob *b)
{
	const unsigned char *p = b->data;
	uint64_t phoff = get_le64(p + offsetof(Elf64_Ehdr, e_phoff));
	unsigned int phnum = get_le16(p + offsetof(Elf64_Ehdr, e_phnum));
	unsigned int type = get_le16(p + offsetof(Elf64_Ehdr, e_type));
	uint64_t lo = UINT64_MAX, hi = 0, total = 0;
	long first = -1, i;

	if (p[EI_CLASS] != ELFCLASS64 || p[EI_DATA] != ELFDATA2LSB ||
	    phoff > b->len || phnum > (b->len - phoff) / sizeof(Elf64_Phdr))
		return -1;
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = p + phoff + i * sizeof(Elf64_Phdr);
		uint64_t vaddr = get_le64(ph + offsetof(Elf64_Phdr, p_vaddr));
		uint64_t memsz = get_le64(ph + offsetof(Elf64_Phdr, p_memsz));

		if (get_le32(ph) != PT_LOAD)
			continue;
		if (first < 0)
			first = i;
		vaddr &= ~(PAGE - 1);
		lo = vaddr < lo ? vaddr : lo;
		hi = vaddr + (memsz + pgoff_of(ph)) > hi ?
		     vaddr + (memsz + pgoff_of(ph)) : hi;
	}
	if (first >= 0 && type == ET_DYN && hi > lo)
		total = page_up(hi - lo);
	for (i = first; i >= 0 && i < phnum; i++) {
		const unsigned char *ph = p + phoff + i * sizeof(Elf64_Phdr);
		uint64_t pgoff = get_le64(ph + offsetof(Elf64_Phdr, p_vaddr)) &
				 (PAGE - 1);
		uint64_t off = get_le64(ph + offsetof(Elf64_Phdr, p_offset));
		uint64_t size = get_le64(ph + offsetof(Elf64_Phdr, p_filesz));
		uint64_t len;

		if (get_le32(ph) != PT_LOAD || off < pgoff)
			continue;
		off -= pgoff;
		size += pgoff;
		if (i == first && total > size)
			size = total;
		if (size == 0)
			continue;
		/* Wrapped, it must end by LFS_MAX + 1 - PAGE: room for it? */
		len = page_up(size);
		if (len < size || len > LFS_MAX + 1 - 2 * PAGE ||
		    off > LFS_MAX + 1 - 2 * PAGE - len)
			return i;
	}
	return -1;
}

const char *check_elf_input(const struct blob *b)
{
	static char why[160];
	const char *why_not;
	long i;

	if (has_bft_magic(b))
		return "already wrapped";
	if (b->len < sizeof(Elf64_Ehdr) || memcmp(b->data, ELFMAG, SELFMAG))
		return "not an ELF file";
	why_not = elf_not_a_program(b->data, b->len);
	if (why_not)
		return why_not;
	i = lfs_overflowing_load(b);
	if (i >= 0) {
		snprintf(why, sizeof(why), "program header %ld (PT_LOAD) maps "
			 "file offsets within %llu bytes of MAX_LFS_FILESIZE, "
			 "which a wrapped file cannot map", i, PAGE);
		return why;
	}
	return NULL;
}

/* A header for wrap: no flags, no label, the ELF at BFT_ELF_ALIGN. */
void hdr_init(struct hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->version = BFT_VERSION;
	h->header_size = BFT_HDR_SIZE;
	h->elf_offset = BFT_ELF_ALIGN;
}

int hdr_set_label(const struct cmd *cmd, struct hdr *h, const char *label)
{
	if (strlen(label) >= BFT_LABEL_LEN)
		return usage_error(cmd, "label '%s' is longer than 31 bytes",
				   label);
	strcpy(h->label, label);
	return EXIT_OK;
}

/*
 * Lay out the wrapped form of @elf in @w: the header @h (its elf_size is
 * set here), zero padding to BFT_ELF_ALIGN, then @elf itself, uncopied.
 */
void wrap_image(const struct blob *elf, struct hdr *h, struct wrapped *w)
{
	static const unsigned char zeros[BFT_ELF_ALIGN];

	h->elf_size = elf->len;
	encode_header(w->head, h);
	w->chunks[0] = (struct chunk){ w->head, sizeof(w->head) };
	w->chunks[1] = (struct chunk){ zeros, BFT_ELF_ALIGN - sizeof(w->head) };
	w->chunks[2] = (struct chunk){ elf->data, elf->len };
}

static int do_wrap(const char *in, const char *out, struct hdr *h, bool force)
{
	struct wrapped w;
	struct blob b;
	const char *why;
	int ret;

	ret = load_file(in, &b);
	if (ret)
		goto out;
	why = force ? NULL : check_elf_input(&b);
	if (why) {
		ret = bad_input(in, "%s (use --force to wrap it anyway)", why);
		goto out;
	}
	wrap_image(&b, h, &w);
	ret = write_file(out, b.mode, w.chunks, 3);
out:
	free(b.data);
	return ret;
}

static int cmd_wrap(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force",		no_argument,		NULL, OPT_FORCE },
		{ "label",		required_argument,	NULL, OPT_LABEL },
		{ "no-load-events",	no_argument,		NULL, OPT_NO_LOAD },
		{ "no-fault-events",	no_argument,		NULL, OPT_NO_FAULT },
		{ "help",		no_argument,		NULL, OPT_HELP },
		{ }
	};
	struct hdr h;
	bool force = false;
	int c, ret = EXIT_OK;

	hdr_init(&h);
	while ((c = next_opt(cmd, argc, argv, opts, &ret)) >= 0) {
		switch (c) {
		case OPT_FORCE:
			force = true;
			break;
		case OPT_LABEL:
			ret = hdr_set_label(cmd, &h, optarg);
			if (ret)
				return ret;
			break;
		case OPT_NO_LOAD:
			h.flags |= BFT_FLAG_NO_LOAD_EVENTS;
			break;
		case OPT_NO_FAULT:
			h.flags |= BFT_FLAG_NO_FAULT_EVENTS;
			break;
		}
	}
	if (c == -2)
		return ret;
	ret = want_operands(cmd, argc, 2);
	if (ret)
		return ret;
	return do_wrap(argv[optind], argv[optind + 1], &h, force);
}

/* ------------------------------------------------------------------ */
/* bft unwrap                                                          */

static int cmd_unwrap(const struct cmd *cmd, int argc, char **argv)
{
	struct chunk elf;
	struct blob b;
	struct hdr h;
	int ret;

	ret = parse_plain(cmd, argc, argv, 2);
	if (ret)
		return ret;
	ret = load_wrapped(argv[optind], &b, &h);
	if (!ret) {
		elf = (struct chunk){ b.data + h.elf_offset, h.elf_size };
		ret = write_file(argv[optind + 1], b.mode, &elf, 1);
	}
	free(b.data);
	return ret;
}

/* ------------------------------------------------------------------ */
/* bft info                                                            */

/* An ELF image in memory, of either class and byte order. */
struct elf {
	const unsigned char	*p;
	uint64_t		len;
	bool			is64;
	bool			msb;
};

static uint64_t elf_get(const struct elf *e, uint64_t off, int size)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < size; i++) {
		int shift = 8 * (e->msb ? size - 1 - i : i);

		v |= (uint64_t)e->p[off + i] << shift;
	}
	return v;
}

/* A field of the ELF header or a program header, by class. */
#define EHDR(e, field) \
	elf_get(e, (e)->is64 ? offsetof(Elf64_Ehdr, field) : \
			       offsetof(Elf32_Ehdr, field), \
		(e)->is64 ? sizeof(((Elf64_Ehdr *)0)->field) : \
			    sizeof(((Elf32_Ehdr *)0)->field))
#define PHDR(e, ph, field) \
	elf_get(e, (ph) + ((e)->is64 ? offsetof(Elf64_Phdr, field) : \
				       offsetof(Elf32_Phdr, field)), \
		(e)->is64 ? sizeof(((Elf64_Phdr *)0)->field) : \
			    sizeof(((Elf32_Phdr *)0)->field))

static const char *elf_type_name(unsigned int type)
{
	switch (type) {
	case ET_NONE:	return "ET_NONE";
	case ET_REL:	return "ET_REL";
	case ET_EXEC:	return "ET_EXEC";
	case ET_DYN:	return "ET_DYN";
	case ET_CORE:	return "ET_CORE";
	}
	return NULL;
}

static const char *elf_machine_name(unsigned int machine)
{
	switch (machine) {
	case EM_386:		return "EM_386";
	case EM_ARM:		return "EM_ARM";
	case EM_X86_64:		return "EM_X86_64";
	case EM_AARCH64:	return "EM_AARCH64";
	case EM_RISCV:		return "EM_RISCV";
	case EM_PPC64:		return "EM_PPC64";
	case EM_S390:		return "EM_S390";
	}
	return NULL;
}

static void print_name(const char *key, const char *name, unsigned int val)
{
	if (name)
		printf("%s: %s\n", key, name);
	else
		printf("%s: unknown (%u)\n", key, val);
}

/* Print @len bytes of @s in double quotes, escaping anything unprintable. */
static void print_quoted(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	puts("\"");
}

static void print_flags(uint32_t flags)
{
	static const struct {
		uint32_t	bit;
		const char	*name;
	} names[] = {
		{ BFT_FLAG_NO_LOAD_EVENTS,	"no-load-events" },
		{ BFT_FLAG_NO_FAULT_EVENTS,	"no-fault-events" },
	};
	const char *sep = "";
	size_t i;

	printf("flags: 0x%x (", flags);
	if (!flags)
		printf("none");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = ",";
		}
	}
	if (flags & ~BFT_FLAGS_KNOWN)
		printf("%sunknown 0x%x", sep, flags & ~BFT_FLAGS_KNOWN);
	puts(")");
}

static void print_header(const struct hdr *h)
{
	printf("magic: ok\n");
	printf("version: %u\n", h->version);
	printf("header_size: %u\n", h->header_size);
	print_flags(h->flags);
	printf("elf_offset: %llu\n", (unsigned long long)h->elf_offset);
	printf("elf_size: %llu\n", (unsigned long long)h->elf_size);
	printf("label: ");
	print_quoted(h->label, strlen(h->label));
}

/* Returns NULL if @e looks like an ELF whose header we can read. */
static const char *elf_open(struct elf *e)
{
	const unsigned char *p = e->p;

	if (e->len < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG))
		return "no ELF magic";
	if (p[EI_CLASS] != ELFCLASS32 && p[EI_CLASS] != ELFCLASS64)
		return "unknown ELF class";
	if (p[EI_DATA] != ELFDATA2LSB && p[EI_DATA] != ELFDATA2MSB)
		return "unknown ELF byte order";
	e->is64 = p[EI_CLASS] == ELFCLASS64;
	e->msb = p[EI_DATA] == ELFDATA2MSB;
	if (e->len < (e->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return "truncated ELF header";
	return NULL;
}

/* The PT_INTERP line: "none", the path, or why it cannot be shown. */
static void print_interp(const struct elf *e)
{
	uint64_t phoff = EHDR(e, e_phoff);
	uint64_t phentsize = EHDR(e, e_phentsize);
	uint64_t phnum = EHDR(e, e_phnum);
	uint64_t min = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t i, ph, off, size;

	if (phnum && (phentsize < min || phoff > e->len ||
		      phnum > (e->len - phoff) / phentsize)) {
		puts("elf_interp: unknown (program headers out of range)");
		return;
	}
	for (i = 0; i < phnum; i++) {
		ph = phoff + i * phentsize;
		if (elf_get(e, ph, 4) != PT_INTERP)
			continue;
		off = PHDR(e, ph, p_offset);
		size = PHDR(e, ph, p_filesz);
		if (off > e->len || size > e->len - off) {
			puts("elf_interp: unknown (PT_INTERP out of range)");
			return;
		}
		printf("elf_interp: ");
		print_quoted((const char *)e->p + off,
			     strnlen((const char *)e->p + off, size));
		return;
	}
	puts("elf_interp: none");
}

/*
 * The first program header of type @type, its offset in the file; 0 when
 * there is none or the table is out of range.
 */
static uint64_t elf_find_phdr(const struct elf *e, uint32_t type)
{
	uint64_t phoff = EHDR(e, e_phoff);
	uint64_t phentsize = EHDR(e, e_phentsize);
	uint64_t phnum = EHDR(e, e_phnum);
	uint64_t min = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t i;

	if (!phnum || phentsize < min || phoff > e->len ||
	    phnum > (e->len - phoff) / phentsize)
		return 0;
	for (i = 0; i < phnum; i++)
		if (elf_get(e, phoff + i * phentsize, 4) == type)
			return phoff + i * phentsize;
	return 0;
}

/* DT_FLAGS_1 of the PT_DYNAMIC segment, 0 without one. */
static uint64_t elf_flags_1(const struct elf *e)
{
	uint64_t ph = elf_find_phdr(e, PT_DYNAMIC), off, size, i;
	int word = e->is64 ? 8 : 4;

	if (!ph)
		return 0;
	off = PHDR(e, ph, p_offset);
	size = PHDR(e, ph, p_filesz);
	if (off > e->len || size > e->len - off)
		return 0;
	for (i = 0; i + 2 * word <= size; i += 2 * word) {
		if (elf_get(e, off + i, word) == DT_NULL)
			break;
		if (elf_get(e, off + i, word) == DT_FLAGS_1)
			return elf_get(e, off + i + word, word);
	}
	return 0;
}

/*
 * Why the ELF at @p is not a program to wrap, or NULL: a relocatable
 * object or a core file, or a shared library, which is ET_DYN with
 * neither a PT_INTERP nor DF_1_PIE (a static PIE has DF_1_PIE).
 */
static const char *elf_not_a_program(const unsigned char *p, uint64_t len)
{
	struct elf e = { .p = p, .len = len };

	if (elf_open(&e))
		return NULL;
	switch (EHDR(&e, e_type)) {
	case ET_REL:
		return "a relocatable object (ET_REL), not an executable";
	case ET_CORE:
		return "a core file (ET_CORE), not an executable";
	case ET_DYN:
		if (!elf_find_phdr(&e, PT_INTERP) &&
		    !(elf_flags_1(&e) & DF_1_PIE))
			return "a shared library (ET_DYN with neither "
			       "PT_INTERP nor DF_1_PIE), not an executable";
	}
	return NULL;
}

static void print_elf(const unsigned char *p, uint64_t len)
{
	struct elf e = { .p = p, .len = len };
	const char *why = elf_open(&e);

	if (why) {
		printf("elf: invalid (%s)\n", why);
		return;
	}
	printf("elf_class: %s\n", e.is64 ? "ELF64" : "ELF32");
	printf("elf_data: %s\n", e.msb ? "big-endian" : "little-endian");
	print_name("elf_type", elf_type_name(EHDR(&e, e_type)),
		   EHDR(&e, e_type));
	print_name("elf_machine", elf_machine_name(EHDR(&e, e_machine)),
		   EHDR(&e, e_machine));
	printf("elf_entry: 0x%llx\n", (unsigned long long)EHDR(&e, e_entry));
	printf("elf_phnum: %llu\n", (unsigned long long)EHDR(&e, e_phnum));
	print_interp(&e);
}

static int cmd_info(const struct cmd *cmd, int argc, char **argv)
{
	struct blob b;
	struct hdr h;
	int ret;

	ret = parse_plain(cmd, argc, argv, 1);
	if (ret)
		return ret;
	ret = load_wrapped(argv[optind], &b, &h);
	if (!ret) {
		print_header(&h);
		print_elf(b.data + h.elf_offset, h.elf_size);
		if (fflush(stdout) == EOF || ferror(stdout))
			ret = io_error("<stdout>", "cannot write");
	}
	free(b.data);
	return ret;
}

/* ------------------------------------------------------------------ */
/* bft help and dispatch                                               */

static const struct cmd *find_cmd(const char *name)
{
	const struct cmd *cmd;

	for (cmd = cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

static void usage_all(FILE *f)
{
	const struct cmd *cmd;

	fprintf(f, "usage: bft COMMAND [ARGS...]\n"
		   "       bft --help | --version\n\ncommands:\n");
	for (cmd = cmds; cmd->name; cmd++)
		fprintf(f, "  bft %s %s\n", cmd->name, cmd->synopsis);
	fprintf(f, "\nRun 'bft COMMAND --help' for details.\n"
		   "Exit status: 0 success, 1 I/O error, "
		   "2 usage error or bad input;\n"
		   "bft run exits with the status of the program it ran;\n"
		   "bft diff 0 identical, 1 different, 2 cannot compare.\n"
		   "BFT_DEBUGFS: where debugfs is mounted "
		   "(default " DEBUGFS_DEFAULT ").\n");
}

static int cmd_help(const struct cmd *cmd, int argc, char **argv)
{
	const struct cmd *which;
	int c, ret = EXIT_OK;

	while ((c = next_opt(cmd, argc, argv, help_only, &ret)) >= 0)
		;
	if (c == -2)
		return ret;
	if (argc - optind > 1)
		return usage_error(cmd, "too many operands");
	if (argc - optind == 0) {
		usage_all(stdout);
		return EXIT_OK;
	}
	which = find_cmd(argv[optind]);
	if (!which)
		return usage_error(NULL, "unknown command '%s'", argv[optind]);
	cmd_usage(which, stdout);
	return EXIT_OK;
}

static const struct cmd cmds[] = {
	{
		.name		= "wrap",
		.synopsis	= "[--force] [--label TEXT] [--no-load-events] "
				  "[--no-fault-events] ELF OUT",
		.summary	=
"Wrap the ELF executable ELF for binfmt_trace and write it to OUT, with\n"
"the mode bits of ELF.  --label sets a label of at most 31 bytes shown\n"
"in the trace; --no-load-events and --no-fault-events set trace flags.\n"
"Input that is not an ELF executable (a relocatable object, a core file,\n"
"a shared library: ET_DYN with neither PT_INTERP nor DF_1_PIE), is\n"
"already wrapped, or has a PT_LOAD that a wrapped file cannot map\n"
"(within a page of the 2^63 file size limit) is refused unless --force\n"
"is given, which wraps any bytes unchecked.  OUT is replaced only if it\n"
"is a regular file.",
		.run		= cmd_wrap,
	},
	{
		.name		= "unwrap",
		.synopsis	= "FILE OUT",
		.summary	=
"Check the wrapper header of FILE and write the ELF inside it to OUT,\n"
"with the mode bits of FILE.",
		.run		= cmd_unwrap,
	},
	{
		.name		= "info",
		.synopsis	= "FILE",
		.summary	=
"Check the wrapper header of FILE and print its fields and the basic\n"
"facts of the ELF inside, one 'key: value' per line.",
		.run		= cmd_info,
	},
	{
		.name		= "run",
		.synopsis	= "[-o FILE] [--trace-out FILE] [--label TEXT] "
				  "[--no-load-events] [--no-fault-events] "
				  "[--raw] [--summary-only] [--report FORMAT] "
				  "[--] PROG [ARGS...]",
		.summary	=
"Run PROG, found in $PATH like a shell does, where it is: the file is\n"
"neither copied nor read before the exec, and binfmt_trace loads it in\n"
"place (trace_next_exec), so a cold page cache stays cold and perf, gdb\n"
"and /proc/PID/maps see the real file.  A wrapped PROG is loaded as\n"
"such; a script's interpreter is what is traced.  When it has exited,\n"
"print what was recorded: a header line, the load steps, the timeline\n"
"of page faults, forks and mm exits, and a summary (faults by result,\n"
"page cache, access, mode, object and segment; events lost).  PROG's\n"
"own stdin, stdout and stderr are bft's; ^C stops PROG, and bft still\n"
"reports.  Lines are shown as +SECONDS since the load, tid, event and\n"
"fields; --raw shows them as trace_pipe has them; --summary-only leaves\n"
"out the load steps and the timeline.  --trace-out also writes the\n"
"session's lines, exactly as read, to FILE (see bft summarize).\n"
"-o, --output FILE writes the report to FILE instead of stdout, which\n"
"stays PROG's.  The report ends with PROG's own rusage fault counts.\n"
"--label, --no-load-events and --no-fault-events are those of bft wrap\n"
"(a wrapped PROG keeps its own).  --report FORMAT writes bft report's\n"
"output in FORMAT (text, json, csv, perfetto, svg) instead.\n"
"Needs root, debugfs and the module.  Each event goes to one reader of\n"
"trace_pipe only: run one bft run or bft trace at a time.\n"
"Exit status: PROG's; 128+N if signal N killed it; 126 if it cannot be\n"
"executed, 127 if it is not found; 1 if tracing is not possible (not\n"
"root, debugfs not mounted, module not loaded); 2 on usage errors.",
		.run		= cmd_run,
	},
	{
		.name		= "trace",
		.synopsis	= "[-p|--pid PID | --session N] [--raw]",
		.summary	=
"Print binfmt_trace's events as they happen, until interrupted (^C,\n"
"exit status 0).  --session keeps the lines of session N; --pid keeps\n"
"the sessions whose load_start has pid=PID and the lines of thread PID.\n"
"Lines are shown as S<session> +SECONDS since the session's first event,\n"
"tid, event and fields; --raw shows them as trace_pipe has them, which\n"
"is the form bft summarize reads.  Needs root, debugfs and the module;\n"
"exit status 1 if they are missing.",
		.run		= cmd_trace,
	},
	{
		.name		= "summarize",
		.synopsis	= "[--session N | -p|--pid PID] [--sessions FILE] "
				  "[--raw] [--summary-only] TRACE",
		.summary	=
"Print the report of bft run for each session in TRACE, a file of raw\n"
"trace lines (bft run --trace-out, bft trace --raw, trace_pipe, trace,\n"
"perf script or trace-cmd report output).\n"
"--session N chooses one session; --pid PID the sessions whose\n"
"load_start, or line in the --sessions FILE, has pid=PID.  FILE is a\n"
"copy of binfmt_trace's sessions file, for the counts of events lost\n"
"(events= of the session minus its lines in TRACE); without\n"
"it they are 'unknown'.  --raw and --summary-only are those of bft run.\n"
"Exit status 2 if no session matches.",
		.run		= cmd_summarize,
	},
	{
		.name		= "report",
		.synopsis	= "[-f|--format text|json|csv|perfetto|svg] "
				  "[-o FILE] [--session N] [--root DIR] TRACE",
		.summary	=
"Read TRACE, a file of raw trace lines as bft summarize reads them (- is\n"
"stdin), and report each session (or session N): its load steps, its\n"
"objects (exe, interp, the libraries of its mmap events, vdso, heap,\n"
"stack, anon) and its page faults, each attributed to object, section\n"
"and symbol + offset (and source line with debug info) for its address\n"
"and its instruction pointer, read with elfutils from the files the\n"
"trace names (.symtab, else separate debug info by build-id or\n"
"debuglink, else .dynsym; 'no symbols' when none).  Bases come only\n"
"from the trace's own events.  --root DIR looks the trace's paths up\n"
"under DIR (a trace from another machine or a VM), debug files under\n"
"DIR/usr/lib/debug.  --format text (default): load steps, faults by\n"
"object, section and symbol with major faults first, first-touch order\n"
"of pages, what a warm run would save; json: schema bft-report/1\n"
"(docs/report-format.md); csv: one row per event; perfetto: Chrome\n"
"trace-event JSON for the Perfetto UI or chrome://tracing (exec and\n"
"load step slices, fault and mm instants, counters); svg: a heat map\n"
"of each mapping's pages by first-touch time, major faults and cache\n"
"misses marked.  -o writes FILE instead of stdout.  Exit status 2 on usage\n"
"errors, a trace line that is not an event, a known event that lacks a\n"
"field, a session not in TRACE, or an ELF file elfutils cannot read;\n"
"1 if TRACE cannot be read or FILE written.",
		.run		= cmd_report,
	},
	{
		.name		= "diff",
		.synopsis	= "[--keep[=DIR]] [--against FILE] [--] PROG [ARGS...]",
		.summary	=
"Run PROG twice, found in $PATH like a shell does, with ARGS and bft's\n"
"environment, stdin /dev/null and ASLR off (ADDR_NO_RANDOMIZE): loaded\n"
"by the kernel's own ELF loader, then by binfmt_trace in place\n"
"(trace_next_exec, load events only).  Compare the exit status (or\n"
"signal), stdout, stderr, and /proc/PID/maps and the auxv as they are\n"
"at the new program's first instruction (a ptrace stop after the exec).\n"
"The 16 bytes at AT_RANDOM differ from run to run and are masked;\n"
"output is compared as it is, so compare deterministic programs.\n"
"Prints 'PART: same', or 'PART: differ' and the differing lines\n"
"(- stock, + binfmt_trace), then a verdict line.  binfmt_trace's run\n"
"must have a session in the sessions file, and the stock run none.\n"
"--keep keeps both runs' files (status, stdout, stderr, maps, auxv\n"
"decoded) in DIR/stock and DIR/bft, or without DIR in a new directory\n"
"in $TMPDIR (default /tmp), and says where.  --against FILE, a test\n"
"hook, has binfmt_trace load FILE instead, bound over PROG's path in a\n"
"mount namespace of the run's own; its maps lines get PROG's device\n"
"and inode.  Needs root, debugfs, the module and recording on.\n"
"Exit status: 0 identical, 1 different, 2 usage error or cannot run.",
		.run		= cmd_diff,
	},
	{
		.name		= "help",
		.synopsis	= "[COMMAND]",
		.summary	= "Show the usage of bft or of one command.",
		.run		= cmd_help,
	},
	{ }
};

int main(int argc, char **argv)
{
	const struct cmd *cmd;

	int ret;

	if (argc < 2)
		return usage_error(NULL, "missing command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_all(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bft (binfmt_trace) " BFT_RELEASE "\n");
		return EXIT_OK;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", argv[1]);
	/* The command sees its own name as argv[0]. */
	opterr = 0;
	optind = 1;
	ret = cmd->run(cmd, argc - 1, argv + 1);
	return ret == EXIT_HELP ? EXIT_OK : ret;
}
