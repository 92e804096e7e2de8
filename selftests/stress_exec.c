// SPDX-License-Identifier: GPL-2.0
/*
 * stress_exec - in-VM exec fuzzing of binfmt_trace ('make stress').
 *
 * Usage: stress_exec [-s SEED] [-n CASES] [-d DIR] [-o SAVE-DIR]
 *                    [-a ALARM] [-p EVERY] [-t SECONDS] BASE-ELF...
 *
 * Each case takes one of the BASE-ELFs and mutates it, deterministically
 * from SEED and the case number alone: byte flips and boundary values in
 * the wrapper header, the ELF header and the program headers, and
 * truncations, one to three of them.  The mutant is then exec'd three
 * ways, each in a fresh child with ASLR off (personality
 * ADDR_NO_RANDOMIZE), an alarm of ALARM seconds that survives the exec,
 * RLIMIT_CORE 0 and stdout/stderr on /dev/null:
 *
 *   plain    DIR/p, the mutated ELF, by the kernel's own ELF loader
 *   marked   DIR/p again, after the child wrote "1" to trace_next_exec:
 *            binfmt_trace loads it in place
 *   wrapped  DIR/w, a 4096-byte wrapper header (itself maybe mutated)
 *            and the mutated ELF: binfmt_trace loads it
 *
 * The outcome is the errno of execve, or how the process ended.  marked
 * must equal plain; so must wrapped, unless the mutated wrapper header is
 * invalid, when nothing loads the file and wrapped must be ENOEXEC.  One
 * documented exception (docs/format.md): a PT_LOAD whose mapping ends
 * within 4096 bytes of MAX_LFS_FILESIZE cannot be mapped 4096 bytes
 * further into a wrapped file; the wrapped run of such a case is skipped
 * and counted ("lfs_skipped"), plain and marked are still compared.
 *
 * Before the random cases, fixed regression cases (case numbers
 * "r0".."rN") build exactly such PT_LOADs.  Every mismatch is printed
 * with the seed, case, base, mutations and the three outcomes, and the
 * two files are saved in SAVE-DIR as case-N.elf and case-N.bft.  The
 * last line is the summary that scripts/stress.sh parses; with -t the
 * run ends after SECONDS (then "stopped=time", and cases= says how many
 * ran).  Exit status:
 * 0 when no case mismatched, 1 on a mismatch, 2 on a usage or set-up
 * error.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bft_test.h"

#define MARK_FILE	BFT_DEBUGFS "/trace_next_exec"
#define HDR_PAGE	BFT_ELF_ALIGN
#define MAX_MUTS	3
#define DESC_LEN	512
#define MAX_BASES	16
#define LFS_MAX		0x7fffffffffffffffULL	/* MAX_LFS_FILESIZE */
#define PAGE		4096ULL

/* Child errno codes beyond any errno: the mark could not be written. */
#define MARK_FAILED	100000

struct base {
	const char *path;
	const char *name;
	unsigned char *data;
	size_t len;
};

struct outcome {
	enum { OUT_ERRNO, OUT_EXIT, OUT_SIGNAL } kind;
	int value;
};

/* One case: the mutated ELF, its wrapper header page, what was done. */
struct mutant {
	const struct base *base;
	unsigned char *elf;
	size_t len;
	unsigned char hdr[HDR_PAGE];
	char desc[DESC_LEN];
	size_t desc_used;
	int elf_muts;		/* mutations of the ELF (not the header) */
};

static struct {
	uint64_t seed;
	unsigned long cases;
	const char *dir;
	const char *save;
	unsigned int alarm;
	unsigned long progress;
	unsigned long time_limit;
	char plain[256];
	char wrapped[256];
} opt = {
	.seed = 1,
	.cases = 500,
	.dir = "/tmp/stress",
	.save = NULL,
	.alarm = 2,
	.progress = 5000,
};

static struct {
	unsigned long cases, regression, mismatches, lfs_skipped;
	unsigned long header_invalid, header_shifted, elf_unchanged;
	unsigned long errnos, exits, signals, alarms, killed, execs;
} stats;

/* ------------------------------------------------------------------ */
/* Deterministic randomness: splitmix64, seeded from (seed, case).     */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void rng_seed(uint64_t seed, uint64_t nr)
{
	rng_state = seed * 0xd1342543de82ef95ULL + nr;
	rnd();
}

/* ------------------------------------------------------------------ */
/* Descriptions                                                        */

static void describe(struct mutant *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void describe(struct mutant *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->desc_used >= sizeof(m->desc) - 1)
		return;
	if (m->desc_used)
		m->desc[m->desc_used++] = ';';
	va_start(ap, fmt);
	n = vsnprintf(m->desc + m->desc_used, sizeof(m->desc) - m->desc_used,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		m->desc_used += n;
	if (m->desc_used >= sizeof(m->desc))
		m->desc_used = sizeof(m->desc) - 1;
}

static void outcome_str(const struct outcome *o, char *buf, size_t size)
{
	switch (o->kind) {
	case OUT_ERRNO:
		if (o->value >= MARK_FAILED)
			snprintf(buf, size, "mark-failed %d",
				 o->value - MARK_FAILED);
		else
			snprintf(buf, size, "errno %d (%s)", o->value,
				 strerrorname_np(o->value) ?: "?");
		break;
	case OUT_EXIT:
		snprintf(buf, size, "exit %d", o->value);
		break;
	case OUT_SIGNAL:
		snprintf(buf, size, "signal %d (%s)", o->value,
			 sigabbrev_np(o->value) ?: "?");
		break;
	}
}

static bool outcome_eq(const struct outcome *a, const struct outcome *b)
{
	return a->kind == b->kind && a->value == b->value;
}

/* ------------------------------------------------------------------ */
/* Little-endian fields at any offset, bounds-checked                  */

static uint64_t get_n(const unsigned char *p, size_t len, size_t off,
		      unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size && off + i < len; i++)
		v |= (uint64_t)p[off + i] << (8 * i);
	return v;
}

static void put_n(unsigned char *p, size_t len, size_t off,
		  unsigned int size, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < size && off + i < len; i++)
		p[off + i] = v >> (8 * i);
}

/* ------------------------------------------------------------------ */
/* Boundary values                                                     */

/* A value that tends to find off-by-ones, for a field of @size bytes. */
static uint64_t boundary(uint64_t orig, unsigned int size)
{
	uint64_t mask = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	static const uint64_t fixed[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1001,
		0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ULL, 0x7ffffffff000ULL,
		0x800000000000ULL, 0xffff800000000000ULL,
		0x7ffffffffffff000ULL, 0x7fffffffffffffffULL,
		0x8000000000000000ULL, 0xfffffffffffff000ULL, ~0ULL,
	};
	uint64_t v;

	switch (rnd_below(6)) {
	case 0:
		v = fixed[rnd_below(sizeof(fixed) / sizeof(fixed[0]))];
		break;
	case 1:
		v = orig + 1 - 2 * rnd_below(2);		/* orig +- 1 */
		break;
	case 2:
		v = orig + PAGE - 2 * PAGE * rnd_below(2);	/* +- a page */
		break;
	case 3:
		v = orig ^ (1ULL << rnd_below(8 * size));	/* one bit */
		break;
	case 4:
		v = (mask >> 1) - rnd_below(3) * PAGE;	/* near signed max */
		break;
	default:
		v = rnd();
		break;
	}
	return v & mask;
}

/* ------------------------------------------------------------------ */
/* Mutations                                                           */

static const struct {
	const char *name;
	unsigned int off, size;
} hdr_fields[] = {
	{ "magic[0]", 0, 1 }, { "magic[7]", 7, 1 }, { "version", 8, 2 },
	{ "header_size", 10, 2 }, { "flags", 12, 4 },
	{ "elf_offset", 16, 8 }, { "elf_size", 24, 8 },
	{ "label[0]", 32, 1 }, { "label[31]", 63, 1 },
	{ "padding[64]", 64, 1 }, { "padding[4095]", 4095, 1 },
};

static void mutate_header(struct mutant *m)
{
	unsigned int i, off, bit;
	uint64_t v;

	if (rnd_below(3) == 0) {
		off = rnd_below(rnd_below(4) ? 64 : HDR_PAGE);
		bit = rnd_below(8);
		m->hdr[off] ^= 1u << bit;
		describe(m, "hdr byte %u ^= %#x", off, 1u << bit);
		return;
	}
	i = rnd_below(sizeof(hdr_fields) / sizeof(hdr_fields[0]));
	v = get_n(m->hdr, HDR_PAGE, hdr_fields[i].off, hdr_fields[i].size);
	/* Flags: the known bits are valid values worth hitting often. */
	if (hdr_fields[i].off == 12 && rnd_below(2))
		v = rnd_below(4);
	else
		v = boundary(v, hdr_fields[i].size);
	put_n(m->hdr, HDR_PAGE, hdr_fields[i].off, hdr_fields[i].size, v);
	describe(m, "hdr %s = %#" PRIx64, hdr_fields[i].name, v);
}

static const struct {
	const char *name;
	unsigned int off, size;
} ehdr_fields[] = {
	{ "e_ident[EI_MAG1]", 1, 1 }, { "e_ident[EI_CLASS]", 4, 1 },
	{ "e_ident[EI_DATA]", 5, 1 }, { "e_ident[EI_VERSION]", 6, 1 },
	{ "e_ident[EI_OSABI]", 7, 1 }, { "e_type", 16, 2 },
	{ "e_machine", 18, 2 }, { "e_version", 20, 4 }, { "e_entry", 24, 8 },
	{ "e_phoff", 32, 8 }, { "e_shoff", 40, 8 }, { "e_flags", 48, 4 },
	{ "e_ehsize", 52, 2 }, { "e_phentsize", 54, 2 }, { "e_phnum", 56, 2 },
	{ "e_shentsize", 58, 2 }, { "e_shnum", 60, 2 },
	{ "e_shstrndx", 62, 2 },
};

static void mutate_ehdr(struct mutant *m)
{
	unsigned int i, off, bit;
	uint64_t v;

	if (rnd_below(3) == 0) {
		off = rnd_below(64);
		bit = rnd_below(8);
		if (off < m->len)
			m->elf[off] ^= 1u << bit;
		describe(m, "elf byte %u ^= %#x", off, 1u << bit);
		return;
	}
	i = rnd_below(sizeof(ehdr_fields) / sizeof(ehdr_fields[0]));
	v = get_n(m->elf, m->len, ehdr_fields[i].off, ehdr_fields[i].size);
	v = boundary(v, ehdr_fields[i].size);
	put_n(m->elf, m->len, ehdr_fields[i].off, ehdr_fields[i].size, v);
	describe(m, "%s = %#" PRIx64, ehdr_fields[i].name, v);
}

/* The program header table as the (maybe mutated) ELF header says. */
static bool phdr_table(const struct mutant *m, uint64_t *phoff,
		       unsigned int *phnum)
{
	*phoff = get_n(m->elf, m->len, 32, 8);
	*phnum = get_n(m->elf, m->len, 56, 2);
	return *phnum && *phoff < m->len &&
	       *phoff + (uint64_t)*phnum * sizeof(Elf64_Phdr) <= m->len &&
	       *phoff + (uint64_t)*phnum * sizeof(Elf64_Phdr) > *phoff;
}

static const struct {
	const char *name;
	unsigned int off, size;
} phdr_fields[] = {
	{ "p_type", 0, 4 }, { "p_flags", 4, 4 }, { "p_offset", 8, 8 },
	{ "p_vaddr", 16, 8 }, { "p_paddr", 24, 8 }, { "p_filesz", 32, 8 },
	{ "p_memsz", 40, 8 }, { "p_align", 48, 8 },
};

static const uint32_t ptypes[] = {
	PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE, PT_SHLIB, PT_PHDR,
	PT_TLS, PT_GNU_EH_FRAME, PT_GNU_STACK, PT_GNU_RELRO,
	PT_GNU_PROPERTY, PT_LOPROC, PT_LOPROC + 1, PT_LOPROC + 2, 0xffffffff,
};

static void mutate_phdr(struct mutant *m)
{
	unsigned int phnum, i, f, bit;
	uint64_t phoff, off, v, orig;

	if (!phdr_table(m, &phoff, &phnum)) {
		describe(m, "phdr (no table)");
		return;
	}
	i = rnd_below(phnum);
	/* PT_LOADs are where the loader does most: favour them. */
	if (rnd_below(2)) {
		unsigned int j, k = rnd_below(phnum);

		for (j = 0; j < phnum; j++) {
			unsigned int n = (k + j) % phnum;

			if (get_n(m->elf, m->len,
				  phoff + n * sizeof(Elf64_Phdr), 4) == PT_LOAD) {
				i = n;
				break;
			}
		}
	}
	off = phoff + i * sizeof(Elf64_Phdr);
	if (rnd_below(4) == 0) {
		unsigned int b = rnd_below(sizeof(Elf64_Phdr));

		bit = rnd_below(8);
		m->elf[off + b] ^= 1u << bit;
		describe(m, "phdr[%u] byte %u ^= %#x", i, b, 1u << bit);
		return;
	}
	f = rnd_below(sizeof(phdr_fields) / sizeof(phdr_fields[0]));
	orig = get_n(m->elf, m->len, off + phdr_fields[f].off,
		     phdr_fields[f].size);
	if (f == 0 && rnd_below(2)) {
		v = ptypes[rnd_below(sizeof(ptypes) / sizeof(ptypes[0]))];
	} else if ((f == 2 || f == 3) && rnd_below(3) == 0) {
		/* Keep p_offset == p_vaddr (mod page): past the easy check. */
		v = (boundary(orig, 8) & ~(PAGE - 1)) | (orig & (PAGE - 1));
	} else {
		v = boundary(orig, phdr_fields[f].size);
	}
	put_n(m->elf, m->len, off + phdr_fields[f].off, phdr_fields[f].size, v);
	describe(m, "phdr[%u].%s = %#" PRIx64, i, phdr_fields[f].name, v);
}

static void truncate_elf(struct mutant *m)
{
	uint64_t phoff, len = m->len;
	unsigned int phnum, i;

	switch (rnd_below(4)) {
	case 0:
		len = 1 + rnd_below(m->len - 1);
		break;
	case 1:
		len = 1 + rnd_below(64 + 0x400);	/* headers */
		break;
	case 2:	/* at or next to a segment's start or end */
		if (phdr_table(m, &phoff, &phnum)) {
			i = rnd_below(phnum);
			len = get_n(m->elf, m->len,
				    phoff + i * sizeof(Elf64_Phdr) + 8, 8);
			if (rnd_below(2))
				len += get_n(m->elf, m->len,
					     phoff + i * sizeof(Elf64_Phdr) +
					     32, 8);
			len += rnd_below(3) - 1;
		}
		break;
	default:
		len = m->len - 1 - rnd_below(PAGE);
		break;
	}
	if (len == 0 || len >= m->len)
		len = m->len / 2;
	describe(m, "truncate %zu -> %" PRIu64, m->len, len);
	m->len = len;
}

/* The header page bft wrap writes for the ELF as it is now. */
static void wrap_header(struct mutant *m)
{
	memset(m->hdr, 0, sizeof(m->hdr));
	bft_header_init((struct bft_header *)m->hdr, m->len);
}

static void mutant_init(struct mutant *m, const struct base *b)
{
	memcpy(m->elf, b->data, b->len);
	m->len = b->len;
	m->base = b;
	m->desc_used = 0;
	m->desc[0] = '\0';
	m->elf_muts = 0;
	wrap_header(m);
}

static void mutate(struct mutant *m)
{
	unsigned int n, r;

	unsigned int hdr_muts = 0;

	r = rnd_below(10);
	n = r < 7 ? 1 : r < 9 ? 2 : 3;
	while (n--) {
		r = rnd_below(100);
		if (r < 15) {
			hdr_muts++;
			continue;
		}
		if (r < 40)
			mutate_ehdr(m);
		else if (r < 85)
			mutate_phdr(m);
		else
			truncate_elf(m);
		m->elf_muts++;
	}
	/* The header bft wrap writes for the mutated ELF, then its own. */
	wrap_header(m);
	while (hdr_muts--)
		mutate_header(m);
}

/* ------------------------------------------------------------------ */
/* The known limit: a mapping that ends within a page of MAX_LFS_FILESIZE */

/*
 * Does a PT_LOAD of @m map file bytes that end exactly where stock can
 * still map them and a wrapped file, BFT_ELF_ALIGN further in, cannot?
 * mmap refuses a mapping of a regular file past MAX_LFS_FILESIZE with
 * EOVERFLOW (file_mmap_ok()): for a page-aligned offset off and length
 * len, stock maps iff off + len <= 2^63 - 4096.  Each PT_LOAD is mapped
 * with its own length, and the first one of an ET_DYN with the total
 * mapping size; both are checked.  Such an ELF wants file bytes at an
 * offset no file can have; bft wrap refuses it (docs/format.md).
 */
static bool lfs_limit_case(const struct mutant *m)
{
	uint64_t phoff, lo = ~0ULL, hi = 0, off, end, len, total = 0;
	unsigned int phnum, i, first = ~0u;
	const uint64_t limit = LFS_MAX + 1 - PAGE;	/* 2^63 - 4096 */

	if (!phdr_table(m, &phoff, &phnum))
		return false;
	for (i = 0; i < phnum; i++) {
		size_t p = phoff + i * sizeof(Elf64_Phdr);
		uint64_t vaddr = get_n(m->elf, m->len, p + 16, 8);
		uint64_t memsz = get_n(m->elf, m->len, p + 40, 8);

		if (get_n(m->elf, m->len, p, 4) != PT_LOAD)
			continue;
		if (first == ~0u)
			first = i;
		if ((vaddr & ~(PAGE - 1)) < lo)
			lo = vaddr & ~(PAGE - 1);
		if (vaddr + memsz > hi)
			hi = vaddr + memsz;
	}
	if (first == ~0u)
		return false;
	if (hi > lo)
		total = ((hi - lo) + PAGE - 1) & ~(PAGE - 1);
	for (i = first; i < phnum; i++) {
		size_t p = phoff + i * sizeof(Elf64_Phdr);
		uint64_t pgoff, filesz, lens[2];
		unsigned int k;

		if (get_n(m->elf, m->len, p, 4) != PT_LOAD)
			continue;
		pgoff = get_n(m->elf, m->len, p + 16, 8) & (PAGE - 1);
		off = get_n(m->elf, m->len, p + 8, 8) - pgoff;
		filesz = get_n(m->elf, m->len, p + 32, 8);
		lens[0] = filesz + pgoff;
		lens[1] = i == first ? total : 0;
		for (k = 0; k < 2; k++) {
			len = (lens[k] + PAGE - 1) & ~(PAGE - 1);
			if (!len || len < lens[k])
				continue;
			end = off + len;
			if (end >= off && end > limit - PAGE && end <= limit)
				return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

static const char *header_problem(const struct mutant *m)
{
	const unsigned char *h = m->hdr;
	uint64_t size = HDR_PAGE + m->len, off, esize;

	if (memcmp(h, BFT_MAGIC, BFT_MAGIC_LEN))
		return "magic";
	if (get_n(h, HDR_PAGE, 8, 2) != BFT_VERSION)
		return "version";
	if (get_n(h, HDR_PAGE, 10, 2) != sizeof(struct bft_header))
		return "header_size";
	if (get_n(h, HDR_PAGE, 12, 4) & ~(uint64_t)BFT_FLAGS_KNOWN)
		return "flags";
	off = get_n(h, HDR_PAGE, 16, 8);
	esize = get_n(h, HDR_PAGE, 24, 8);
	if (!off || off % BFT_ELF_ALIGN)
		return "elf_offset alignment";
	if (off >= size)
		return "elf_offset past the end";
	if (esize != size - off)
		return "elf_size";
	return NULL;
}

static int write_file(const char *path, const void *a, size_t alen,
		      const void *b, size_t blen)
{
	int fd;

	/* A new inode each time: never ETXTBSY from a dying child. */
	if (unlink(path) && errno != ENOENT)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		return -1;
	if ((alen && write(fd, a, alen) != (ssize_t)alen) ||
	    (blen && write(fd, b, blen) != (ssize_t)blen)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * Exec @path in a fresh child as described at the top, marked first if
 * @mark.  The errno travels through a close-on-exec pipe.  A child that
 * outlives its alarm (it blocked SIGALRM) is killed after ALARM + 5 s.
 */
static void run(const char *path, bool mark, struct outcome *o)
{
	char *argv[] = { "stress", NULL };
	char *envp[] = { NULL };
	struct timespec limit = { .tv_sec = opt.alarm + 5 };
	int pipefd[2], err = 0, status = 0, fd;
	sigset_t chld;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	stats.execs++;
	if (pipe2(pipefd, O_CLOEXEC)) {
		perror("stress_exec: pipe2");
		exit(2);
	}
	pid = fork();
	if (pid < 0) {
		perror("stress_exec: fork");
		exit(2);
	}
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		setpgid(0, 0);
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		personality(ADDR_NO_RANDOMIZE);
		if (mark) {
			fd = open(MARK_FILE, O_WRONLY);
			if (fd < 0 || write(fd, "1", 1) != 1)
				err = MARK_FAILED + errno;
		}
		if (!err) {
			alarm(opt.alarm);
			execve(path, argv, envp);
			err = errno;
		}
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (sigtimedwait(&chld, NULL, &limit) < 0 && errno == EAGAIN) {
			kill(pid, SIGKILL);
			stats.killed++;
			waitpid(pid, &status, 0);
			break;
		}
	}
	kill(-pid, SIGKILL);	/* anything the mutant forked */
	if (err) {
		o->kind = OUT_ERRNO;
		o->value = err;
		stats.errnos++;
	} else if (WIFSIGNALED(status)) {
		o->kind = OUT_SIGNAL;
		o->value = WTERMSIG(status);
		stats.signals++;
		if (o->value == SIGALRM)
			stats.alarms++;
	} else {
		o->kind = OUT_EXIT;
		o->value = WEXITSTATUS(status);
		stats.exits++;
	}
}

static void save(const char *id, const struct mutant *m)
{
	char path[512];

	if (!opt.save)
		return;
	snprintf(path, sizeof(path), "%s/case-%s.elf", opt.save, id);
	if (write_file(path, m->elf, m->len, NULL, 0))
		fprintf(stderr, "stress_exec: cannot save %s: %m\n", path);
	snprintf(path, sizeof(path), "%s/case-%s.bft", opt.save, id);
	if (write_file(path, m->hdr, HDR_PAGE, m->elf, m->len))
		fprintf(stderr, "stress_exec: cannot save %s: %m\n", path);
}

/* The outcomes of each unmutated base, plain and marked, run once. */
static struct outcome base_plain[MAX_BASES], base_marked[MAX_BASES];

/*
 * Run case @id (mutated already) and compare.  Returns true if it
 * matched.
 */
static bool run_case(const char *id, struct mutant *m, int base_nr)
{
	struct outcome plain, marked, wrapped, expect;
	char sp[64], sm[64], sw[64], se[64];
	const char *bad_hdr = header_problem(m);
	bool lfs = lfs_limit_case(m), ok = true;
	bool wrapped_run = true;

	if (write_file(opt.plain, m->elf, m->len, NULL, 0) ||
	    write_file(opt.wrapped, m->hdr, HDR_PAGE, m->elf, m->len)) {
		fprintf(stderr, "stress_exec: cannot write %s: %m\n", opt.dir);
		exit(2);
	}
	if (m->elf_muts == 0 && base_nr >= 0) {
		/* The ELF is the base's own: its outcomes are known. */
		plain = base_plain[base_nr];
		marked = base_marked[base_nr];
		stats.elf_unchanged++;
	} else {
		run(opt.plain, false, &plain);
		run(opt.plain, true, &marked);
	}
	expect = plain;
	if (bad_hdr) {
		stats.header_invalid++;
		expect.kind = OUT_ERRNO;
		expect.value = ENOEXEC;
	} else if (get_n(m->hdr, HDR_PAGE, 16, 8) != HDR_PAGE) {
		/* Two header mutations moved the ELF: no reference. */
		stats.header_shifted++;
		wrapped_run = false;
	} else if (lfs) {
		stats.lfs_skipped++;
		wrapped_run = false;
	}
	if (wrapped_run) {
		run(opt.wrapped, false, &wrapped);
		ok = outcome_eq(&wrapped, &expect);
	}
	ok = outcome_eq(&marked, &plain) && ok;
	if (!ok) {
		stats.mismatches++;
		outcome_str(&plain, sp, sizeof(sp));
		outcome_str(&marked, sm, sizeof(sm));
		if (wrapped_run)
			outcome_str(&wrapped, sw, sizeof(sw));
		else
			snprintf(sw, sizeof(sw), "skipped");
		outcome_str(&expect, se, sizeof(se));
		printf("mismatch: seed=%" PRIu64 " case=%s base=%s mutation=[%s]%s%s plain=%s marked=%s wrapped=%s expected_wrapped=%s\n",
		       opt.seed, id, m->base->name, m->desc,
		       bad_hdr ? " bad_header=" : "", bad_hdr ? bad_hdr : "",
		       sp, sm, sw, wrapped_run ? se : "-");
		save(id, m);
		fflush(stdout);
	}
	return ok;
}

/*
 * The regression cases, always run first: the mismatch earlier fuzzing
 * found (6 of 7,145 cases per kernel).  In the first and the last PT_LOAD
 * of three bases, p_offset is moved (keeping p_offset == p_vaddr modulo
 * the page) so that the mapping ends at 2^63 - 4096, the last offset a
 * file mapping may reach: stock maps it, a wrapped file cannot.  The
 * wrapped run is skipped and counted; plain and marked must agree.
 */
static void run_regressions(struct base *bases, int nbases,
			    struct mutant *m)
{
	static const char * const names[] = {
		"hello-static", "probe-static-pie", "probe-dynamic-pie",
	};
	unsigned int k, which, phnum, i, first, last, nr = 0;
	uint64_t phoff;
	char id[16];
	int b;

	for (k = 0; k < 3; k++) {
		for (b = 0; b < nbases; b++)
			if (!strcmp(bases[b].name, names[k]))
				break;
		if (b == nbases)
			continue;
		for (which = 0; which < 2; which++) {
			size_t p;
			uint64_t vaddr, filesz, pgoff, len, off, type;

			mutant_init(m, &bases[b]);
			if (!phdr_table(m, &phoff, &phnum))
				continue;
			first = last = ~0u;
			for (i = 0; i < phnum; i++) {
				if (get_n(m->elf, m->len, phoff + i *
					  sizeof(Elf64_Phdr), 4) != PT_LOAD)
					continue;
				if (first == ~0u)
					first = i;
				last = i;
			}
			i = which ? last : first;
			p = phoff + i * sizeof(Elf64_Phdr);
			vaddr = get_n(m->elf, m->len, p + 16, 8);
			filesz = get_n(m->elf, m->len, p + 32, 8);
			type = get_n(m->elf, m->len, 16, 2);
			pgoff = vaddr & (PAGE - 1);
			len = (filesz + pgoff + PAGE - 1) & ~(PAGE - 1);
			if (i == first && type == ET_DYN) {
				/* Mapped with the total size: find it. */
				uint64_t lo = vaddr & ~(PAGE - 1), hi = 0;
				unsigned int j;

				for (j = 0; j < phnum; j++) {
					size_t q = phoff + j * sizeof(Elf64_Phdr);

					if (get_n(m->elf, m->len, q, 4) != PT_LOAD)
						continue;
					if (get_n(m->elf, m->len, q + 16, 8) +
					    get_n(m->elf, m->len, q + 40, 8) > hi)
						hi = get_n(m->elf, m->len, q + 16, 8) +
						     get_n(m->elf, m->len, q + 40, 8);
				}
				len = (hi - lo + PAGE - 1) & ~(PAGE - 1);
			}
			off = LFS_MAX + 1 - PAGE - len;
			put_n(m->elf, m->len, p + 8, 8, off + pgoff);
			describe(m, "regression: phdr[%u].p_offset = %#" PRIx64
				 " (mapping ends at 2^63 - 4096)", i,
				 off + pgoff);
			m->elf_muts = 1;
			if (!lfs_limit_case(m)) {
				fprintf(stderr, "stress_exec: regression %u is not an lfs case\n",
					nr);
				exit(2);
			}
			snprintf(id, sizeof(id), "r%u", nr++);
			run_case(id, m, b);
			stats.regression++;
		}
	}
}

static int load_base(struct base *b, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return -1;
	b->path = path;
	b->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	b->len = st.st_size;
	b->data = malloc(b->len);
	if (!b->data || read(fd, b->data, b->len) != (ssize_t)b->len)
		return -1;
	close(fd);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: stress_exec [-s SEED] [-n CASES] [-d DIR] [-o SAVE-DIR] [-a ALARM] [-p EVERY] [-t SECONDS] BASE-ELF...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct base bases[MAX_BASES];
	struct rlimit no_core = { 0, 0 };
	struct timespec t0, t1;
	struct mutant m;
	size_t maxlen = 0;
	unsigned long nr;
	int c, nbases = 0, b;
	const char *stopped = "no";
	char id[32];
	sigset_t chld;

	while ((c = getopt(argc, argv, "s:n:d:o:a:p:t:")) != -1) {
		switch (c) {
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			opt.cases = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			opt.dir = optarg;
			break;
		case 'o':
			opt.save = optarg;
			break;
		case 'a':
			opt.alarm = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			opt.progress = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt.time_limit = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (optind == argc || argc - optind > MAX_BASES || !opt.alarm)
		usage();
	for (; optind < argc; optind++, nbases++) {
		if (load_base(&bases[nbases], argv[optind])) {
			fprintf(stderr, "stress_exec: %s: %m\n", argv[optind]);
			return 2;
		}
		if (bases[nbases].len > maxlen)
			maxlen = bases[nbases].len;
	}
	m.elf = malloc(maxlen);
	if (!m.elf)
		return 2;
	snprintf(opt.plain, sizeof(opt.plain), "%s/p", opt.dir);
	snprintf(opt.wrapped, sizeof(opt.wrapped), "%s/w", opt.dir);
	mkdir(opt.dir, 0755);
	if (opt.save)
		mkdir(opt.save, 0755);
	setrlimit(RLIMIT_CORE, &no_core);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* Each base as it is: plain and marked must agree already. */
	for (b = 0; b < nbases; b++) {
		char sp[64], sm[64];

		mutant_init(&m, &bases[b]);
		if (write_file(opt.plain, m.elf, m.len, NULL, 0)) {
			fprintf(stderr, "stress_exec: cannot write %s: %m\n",
				opt.plain);
			return 2;
		}
		run(opt.plain, false, &base_plain[b]);
		run(opt.plain, true, &base_marked[b]);
		outcome_str(&base_plain[b], sp, sizeof(sp));
		outcome_str(&base_marked[b], sm, sizeof(sm));
		printf("base: %s: plain %s, marked %s\n", bases[b].name, sp, sm);
		if (!outcome_eq(&base_plain[b], &base_marked[b]) ||
		    base_plain[b].kind != OUT_EXIT || base_plain[b].value) {
			printf("stress_exec: base %s does not run cleanly\n",
			       bases[b].name);
			return 2;
		}
	}

	run_regressions(bases, nbases, &m);
	for (nr = 0; nr < opt.cases; nr++) {
		rng_seed(opt.seed, nr);
		b = rnd_below(nbases);
		mutant_init(&m, &bases[b]);
		mutate(&m);
		snprintf(id, sizeof(id), "%lu", nr);
		run_case(id, &m, b);
		stats.cases++;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (opt.time_limit &&
		    (unsigned long)(t1.tv_sec - t0.tv_sec) >= opt.time_limit &&
		    nr + 1 < opt.cases) {
			stopped = "time";
			break;
		}
		if (opt.progress && (nr + 1) % opt.progress == 0) {
			printf("progress: %lu cases, %lu mismatches, %ld s\n",
			       nr + 1, stats.mismatches,
			       (long)(t1.tv_sec - t0.tv_sec));
			fflush(stdout);
		}
	}
	unlink(opt.plain);
	unlink(opt.wrapped);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("stress_exec: seed=%" PRIu64 " cases=%lu regression=%lu mismatches=%lu lfs_skipped=%lu header_invalid=%lu header_shifted=%lu elf_unchanged=%lu execs=%lu errno=%lu exit=%lu signal=%lu alarm=%lu killed=%lu stopped=%s seconds=%ld\n",
	       opt.seed, stats.cases, stats.regression, stats.mismatches,
	       stats.lfs_skipped, stats.header_invalid, stats.header_shifted,
	       stats.elf_unchanged, stats.execs, stats.errnos, stats.exits,
	       stats.signals, stats.alarms, stats.killed, stopped,
	       (long)(t1.tv_sec - t0.tv_sec));
	return stats.mismatches ? 1 : 0;
}
