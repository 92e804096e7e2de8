// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - bft diff: run a program twice, once loaded by the kernel's own
 * ELF loader and once by binfmt_trace (in place, trace_next_exec), both
 * with ASLR off, and compare what each gave it.
 *
 *   1. check root, debugfs, the module and that recording is on; note the
 *      newest session;
 *   2. each run: fork; the child sends stdin to /dev/null and stdout and
 *      stderr to files, turns ASLR off, asks for PTRACE_TRACEME, marks
 *      its exec (binfmt_trace's run only) and execs PROG;
 *   3. at the SIGTRAP stop after the exec, the new program's first
 *      instruction, read /proc/PID/maps and /proc/PID/auxv (and the bytes
 *      AT_RANDOM, AT_EXECFN and AT_PLATFORM point at) and check in the
 *      sessions file that binfmt_trace loaded the one run and not the
 *      other; then detach and let the program run to its end;
 *   4. compare status, stdout, stderr, maps and auxv, the 16 random bytes
 *      of AT_RANDOM masked (docs/who-is-traced.md, "bft diff").
 */
#define _GNU_SOURCE

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bft.h"
#include "trace_dir.h"

extern char **environ;

/* The exit statuses of bft diff. */
#define DIFF_SAME	0
#define DIFF_DIFFER	1

/* binfmt_trace's run: load events only, so that the buffer stays quiet. */
#define DIFF_MARK	"1 2 bft-diff"

/* Lines of one part's listing before it is cut short. */
#define LISTING_MAX	200
/* Up to this many (lines of one) x (lines of the other): a real LCS. */
#define LCS_MAX_CELLS	(4UL * 1024 * 1024)

static const char * const run_names[] = { "stock", "bft" };
static const char * const part_names[] = {
	"status", "stdout", "stderr", "maps", "auxv"
};
#define NPARTS	(sizeof(part_names) / sizeof(part_names[0]))

/* One run of the program. */
struct diff_run {
	int		which;		/* 0 stock, 1 binfmt_trace */
	char		dir[PATH_MAX / 2];	/* its files */
	pid_t		pid;
	int		status;		/* from waitpid(), once exited */
	int		exec_errno;	/* 0: the exec worked */
	const char	*exec_step;	/* what failed before the exec */
	bool		stopped;	/* stopped at its first instruction */
	unsigned long	session;	/* binfmt_trace's run: its session */
};

struct diff {
	const char	*prog;		/* as typed */
	char		**argv;
	char		*path;		/* PROG found in $PATH */
	char		*real;		/* its realpath(), as maps show it */
	const char	*against;	/* --against FILE */
	bool		keep;
	const char	*keep_dir;	/* --keep=DIR */
	char		workdir[PATH_MAX / 2 - 8];
	struct trace_dir tdir;
	int		mark_fd;
	unsigned long	last_session;	/* the newest before the runs */
	struct diff_run	runs[2];
};

/* What the child tells the parent when it could not exec. */
struct diff_failure {
	char	step[48];
	int	err;
};

/* "bft diff: ..." on stderr; returns EXIT_BAD: bft diff could not run. */
__attribute__((format(printf, 1, 2)))
static int cannot(const char *fmt, ...)
{
	va_list ap;

	fputs("bft diff: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD;
}

static const char *run_file(const struct diff_run *run, const char *name,
			    char *buf)
{
	snprintf(buf, PATH_MAX, "%s/%s", run->dir, name);
	return buf;
}

/* Write @len bytes of @data to the file @name of @run. */
static int write_run_file(const struct diff_run *run, const char *name,
			  const void *data, size_t len)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	fd = open(run_file(run, name, path),
		  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return cannot("%s: cannot create: %s", path, strerror(errno));
	if (write_all(fd, data, len) < 0)
		ret = cannot("%s: cannot write: %s", path, strerror(errno));
	if (close(fd) < 0 && !ret)
		ret = cannot("%s: cannot write: %s", path, strerror(errno));
	return ret;
}

/* ------------------------------------------------------------------ */
/* The auxv, decoded                                                   */

static const char *auxv_name(unsigned long type)
{
	static const char * const names[] = {
		[AT_NULL] = "AT_NULL", [AT_IGNORE] = "AT_IGNORE",
		[AT_EXECFD] = "AT_EXECFD", [AT_PHDR] = "AT_PHDR",
		[AT_PHENT] = "AT_PHENT", [AT_PHNUM] = "AT_PHNUM",
		[AT_PAGESZ] = "AT_PAGESZ", [AT_BASE] = "AT_BASE",
		[AT_FLAGS] = "AT_FLAGS", [AT_ENTRY] = "AT_ENTRY",
		[AT_NOTELF] = "AT_NOTELF", [AT_UID] = "AT_UID",
		[AT_EUID] = "AT_EUID", [AT_GID] = "AT_GID",
		[AT_EGID] = "AT_EGID", [AT_PLATFORM] = "AT_PLATFORM",
		[AT_HWCAP] = "AT_HWCAP", [AT_CLKTCK] = "AT_CLKTCK",
		[AT_SECURE] = "AT_SECURE",
		[AT_BASE_PLATFORM] = "AT_BASE_PLATFORM",
		[AT_RANDOM] = "AT_RANDOM", [AT_HWCAP2] = "AT_HWCAP2",
		[27] = "AT_RSEQ_FEATURE_SIZE", [28] = "AT_RSEQ_ALIGN",
		[29] = "AT_HWCAP3", [30] = "AT_HWCAP4",
		[AT_EXECFN] = "AT_EXECFN", [AT_SYSINFO] = "AT_SYSINFO",
		[AT_SYSINFO_EHDR] = "AT_SYSINFO_EHDR",
		[51] = "AT_MINSIGSTKSZ",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return NULL;
}

/* Print what @mem_fd has at @addr: a C string, quoted and escaped. */
static void print_string_at(FILE *f, int mem_fd, unsigned long addr)
{
	char buf[4096];
	ssize_t n = pread(mem_fd, buf, sizeof(buf), (off_t)addr);
	size_t i;

	if (n <= 0) {
		fprintf(f, " (unreadable)");
		return;
	}
	fprintf(f, " \"");
	for (i = 0; i < (size_t)n && buf[i]; i++) {
		unsigned char c = buf[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The 16 bytes AT_RANDOM points at, in hex. */
static void print_random_at(FILE *f, int mem_fd, unsigned long addr)
{
	unsigned char buf[16];
	size_t i;

	if (pread(mem_fd, buf, sizeof(buf), (off_t)addr) != sizeof(buf)) {
		fprintf(f, " (unreadable)");
		return;
	}
	fprintf(f, " bytes=");
	for (i = 0; i < sizeof(buf); i++)
		fprintf(f, "%02x", buf[i]);
}

/*
 * The auxv of @pid, one "AT_NAME 0xVALUE" a line, AT_NULL included; the
 * strings AT_EXECFN, AT_PLATFORM and AT_BASE_PLATFORM point at follow
 * their value quoted, the bytes at AT_RANDOM as "bytes=HEX".
 */
static int decode_auxv(pid_t pid, char **text, size_t *len)
{
	char path[64];
	unsigned long pair[2];
	const char *name, *what;
	struct blob raw;
	size_t off;
	int mem_fd;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)pid);
	if (read_file(path, &raw, &what) < 0) {
		free(raw.data);
		return cannot("%s: %s: %s", path, what, strerror(errno));
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	mem_fd = open(path, O_RDONLY | O_CLOEXEC);
	f = open_memstream(text, len);
	if (!f)
		exit(EXIT_IO);
	for (off = 0; off + sizeof(pair) <= raw.len; off += sizeof(pair)) {
		memcpy(pair, raw.data + off, sizeof(pair));
		name = auxv_name(pair[0]);
		if (name)
			fprintf(f, "%s 0x%lx", name, pair[1]);
		else
			fprintf(f, "AT_%lu 0x%lx", pair[0], pair[1]);
		if (pair[0] == AT_EXECFN || pair[0] == AT_PLATFORM ||
		    pair[0] == AT_BASE_PLATFORM)
			print_string_at(f, mem_fd, pair[1]);
		else if (pair[0] == AT_RANDOM)
			print_random_at(f, mem_fd, pair[1]);
		fputc('\n', f);
		if (pair[0] == AT_NULL)
			break;
	}
	fclose(f);
	if (mem_fd >= 0)
		close(mem_fd);
	free(raw.data);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* One run                                                             */

/* Newest session of @pid newer than @after, or 0. */
static unsigned long session_of(const struct diff *d, pid_t pid,
				unsigned long after)
{
	struct session_info *list;
	unsigned long best = 0;
	char path[PATH_MAX];
	size_t n, i;

	if (sessions_read(trace_dir_file(&d->tdir, "sessions", path),
			  &list, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (list[i].id > after && list[i].id > best &&
		    (pid < 0 || list[i].pid == pid))
			best = list[i].id;
	free(list);
	return best;
}

/* In the child: bind FILE over PROG's path, in a mount namespace of its own. */
static int bind_against(const struct diff *d, struct diff_failure *fail)
{
	snprintf(fail->step, sizeof(fail->step), "unshare(CLONE_NEWNS)");
	if (unshare(CLONE_NEWNS) < 0)
		return -1;
	snprintf(fail->step, sizeof(fail->step), "make / private");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	snprintf(fail->step, sizeof(fail->step), "bind-mount the --against file");
	return mount(d->against, d->path, NULL, MS_BIND, NULL);
}

/* In the child: become the run @run describes, and exec. */
static void child_exec(const struct diff *d, const struct diff_run *run,
		       const int fds[3], int report_fd)
{
	struct diff_failure fail = { .step = "redirect stdin, stdout, stderr" };
	int i, pers;

	for (i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			goto failed;
	snprintf(fail.step, sizeof(fail.step), "personality(ADDR_NO_RANDOMIZE)");
	pers = personality(0xffffffff);
	if (pers < 0 || personality(pers | ADDR_NO_RANDOMIZE) < 0)
		goto failed;
	if (run->which == 1 && d->against && bind_against(d, &fail) < 0)
		goto failed;
	snprintf(fail.step, sizeof(fail.step), "PTRACE_TRACEME");
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		goto failed;
	snprintf(fail.step, sizeof(fail.step), "mark the exec (trace_next_exec)");
	if (run->which == 1 &&
	    write(d->mark_fd, DIFF_MARK, strlen(DIFF_MARK)) !=
	    (ssize_t)strlen(DIFF_MARK))
		goto failed;
	fail.step[0] = '\0';
	execve(d->path, d->argv, environ);
failed:
	fail.err = errno;
	if (write(report_fd, &fail, sizeof(fail)) != sizeof(fail))
		_exit(127);
	_exit(127);
}

/* stdin (/dev/null), stdout and stderr files of @run, close-on-exec. */
static int open_child_fds(const struct diff_run *run, int fds[3])
{
	static const char * const names[] = { NULL, "stdout", "stderr" };
	char path[PATH_MAX];
	int i;

	fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fds[0] < 0)
		return cannot("/dev/null: cannot open: %s", strerror(errno));
	for (i = 1; i < 3; i++) {
		fds[i] = open(run_file(run, names[i], path),
			      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fds[i] < 0) {
			while (i--)
				close(fds[i]);
			return cannot("%s: cannot create: %s", path,
				      strerror(errno));
		}
	}
	return EXIT_OK;
}

/* Fork and exec; returns once the child has stopped, exited or failed. */
static int start_run(struct diff *d, struct diff_run *run)
{
	struct diff_failure fail;
	int fds[3], pipefd[2], i, ret;
	ssize_t n;

	ret = open_child_fds(run, fds);
	if (ret)
		return ret;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return cannot("cannot create a pipe: %s", strerror(errno));
	fflush(NULL);
	run->pid = fork();
	if (run->pid == 0)
		child_exec(d, run, fds, pipefd[1]);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	close(pipefd[1]);
	if (run->pid < 0) {
		close(pipefd[0]);
		return cannot("cannot fork: %s", strerror(errno));
	}
	do {
		n = read(pipefd[0], &fail, sizeof(fail));
	} while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(fail)) {
		fail.step[sizeof(fail.step) - 1] = '\0';
		run->exec_errno = fail.err;
		run->exec_step = fail.step[0] ? xstrdup(fail.step) : NULL;
	}
	return EXIT_OK;
}

/* Wait for the first stop, the SIGTRAP of the exec, or for the end. */
static int wait_first_stop(struct diff_run *run)
{
	int st;

	for (;;) {
		if (waitpid(run->pid, &st, 0) != run->pid) {
			if (errno == EINTR)
				continue;
			return cannot("waitpid: %s", strerror(errno));
		}
		if (!WIFSTOPPED(st)) {
			run->status = st;
			return EXIT_OK;
		}
		if (WSTOPSIG(st) == SIGTRAP) {
			run->stopped = true;
			return EXIT_OK;
		}
		/* A signal that came first: deliver it and wait on. */
		ptrace(PTRACE_CONT, run->pid, NULL,
		       (void *)(long)WSTOPSIG(st));
	}
}

/* At the first instruction: what the loader gave, and who loaded it. */
static int capture_first_stop(struct diff *d, struct diff_run *run)
{
	char path[64], *text = NULL;
	const char *what;
	struct blob maps;
	size_t len = 0;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)run->pid);
	if (read_file(path, &maps, &what) < 0) {
		free(maps.data);
		return cannot("%s: %s: %s", path, what, strerror(errno));
	}
	ret = write_run_file(run, "maps", maps.data, maps.len);
	free(maps.data);
	if (!ret)
		ret = decode_auxv(run->pid, &text, &len);
	if (!ret)
		ret = write_run_file(run, "auxv", text, len);
	free(text);
	if (ret)
		return ret;
	run->session = session_of(d, run->pid, d->last_session);
	if (run->which == 0 && run->session)
		return cannot("the stock run (pid %d) was traced by binfmt_trace "
			      "(session %lu): is %s a wrapped file, or does "
			      "something else mark execs?", (int)run->pid,
			      run->session, d->path);
	if (run->which == 1 && !run->session)
		return cannot("%s was not loaded by binfmt_trace: the sessions "
			      "file has no session of pid %d, so the comparison "
			      "would be of the kernel's loader with itself "
			      "(not an x86_64 ELF64 file?)", d->path,
			      (int)run->pid);
	return EXIT_OK;
}

static void describe_status(const struct diff_run *run, char *buf, size_t len)
{
	int st = run->status;

	if (run->exec_errno)
		snprintf(buf, len, "exec failed: %s\n", strerror(run->exec_errno));
	else if (WIFEXITED(st))
		snprintf(buf, len, "exited %d\n", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)%s\n", WTERMSIG(st),
			 strsignal(WTERMSIG(st)),
			 WCOREDUMP(st) ? ", core dumped" : "");
	else
		snprintf(buf, len, "status 0x%x\n", st);
}

/* Placeholders for maps and auxv of a run that never reached its start. */
static int write_not_captured(const struct diff_run *run)
{
	static const char none[] = "(not captured: the program did not "
				   "reach its first instruction)\n";
	int ret;

	ret = write_run_file(run, "maps", none, sizeof(none) - 1);
	return ret ? ret : write_run_file(run, "auxv", none, sizeof(none) - 1);
}

/* One whole run: start, capture at the first stop, detach, wait, status. */
static int do_run(struct diff *d, struct diff_run *run)
{
	char status[128];
	int ret;

	if (mkdir(run->dir, 0755) < 0 && errno != EEXIST)
		return cannot("%s: cannot create: %s", run->dir, strerror(errno));
	ret = start_run(d, run);
	if (ret)
		return ret;
	if (run->exec_step) {
		waitpid(run->pid, &run->status, 0);
		return cannot("cannot %s: %s", run->exec_step,
			      strerror(run->exec_errno));
	}
	ret = wait_first_stop(run);
	if (!ret && run->stopped) {
		ret = capture_first_stop(d, run);
		if (ret)
			kill(run->pid, SIGKILL);
		else
			ptrace(PTRACE_DETACH, run->pid, NULL, NULL);
		while (waitpid(run->pid, &run->status, 0) < 0 && errno == EINTR)
			;
	} else if (!ret) {
		ret = write_not_captured(run);
	}
	if (ret)
		return ret;
	if (run->which == 0 && run->exec_errno)
		return cannot("cannot execute %s: %s", d->path,
			      strerror(run->exec_errno));
	describe_status(run, status, sizeof(status));
	return write_run_file(run, "status", status, strlen(status));
}

/* ------------------------------------------------------------------ */
/* Comparing                                                           */

struct lines {
	char	**v;
	size_t	n;
};

static void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Split @b into lines; a last line without its newline says so. */
static void split_lines(const struct blob *b, struct lines *l)
{
	const char *p = (const char *)b->data, *end = p + b->len, *nl;
	char *line;

	memset(l, 0, sizeof(*l));
	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (nl) {
			line = strndup(p, nl - p);
		} else if (asprintf(&line, "%.*s\\ (no newline at end)",
				    (int)(end - p), p) < 0) {
			line = NULL;
		}
		if (!line)
			exit(EXIT_IO);
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = line;
		p = nl ? nl + 1 : end;
	}
}

/* The AT_RANDOM line without its bytes: they differ from run to run. */
static void mask_auxv(struct lines *l)
{
	char *bytes;
	size_t i;

	for (i = 0; i < l->n; i++) {
		bytes = strstr(l->v[i], " bytes=");
		if (!strncmp(l->v[i], "AT_RANDOM ", 10) && bytes)
			strcpy(bytes, " bytes=(masked)");
	}
}

/*
 * A maps line is "start-end perms offset dev inode<blanks>path": where its
 * dev field starts when its path is @path, else NULL.
 */
static const char *maps_dev_of(const char *line, const char *path)
{
	const char *p = line, *name = strchr(line, '/');
	int field;

	if (!name || strcmp(name, path))
		return NULL;
	for (field = 0; field < 3 && p; field++)
		p = strchr(p + 1, ' ');
	return p && p + 1 < name ? p + 1 : NULL;
}

/*
 * --against: the copy is another inode, bound over PROG's path.  Its
 * lines get the "dev inode<blanks>" of PROG's first line in the stock
 * run, the blanks being the padding that depends on the inode's digits.
 */
static void normalize_against(const struct diff *d, const struct lines *stock,
			      struct lines *l)
{
	const char *want = NULL, *at;
	size_t want_len, i;
	char *line;

	for (i = 0; i < stock->n && !want; i++)
		want = maps_dev_of(stock->v[i], d->real);
	if (!want)
		return;
	want_len = strchr(want, '/') - want;
	for (i = 0; i < l->n; i++) {
		at = maps_dev_of(l->v[i], d->real);
		if (!at)
			continue;
		if (asprintf(&line, "%.*s%.*s%s", (int)(at - l->v[i]), l->v[i],
			     (int)want_len, want, strchr(at, '/')) < 0)
			exit(EXIT_IO);
		free(l->v[i]);
		l->v[i] = line;
	}
}

/* Print @s escaped: it may be a program's binary output. */
static void print_line(char sign, const char *s)
{
	putchar(sign);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '\t' || (c >= 0x20 && c < 0x7f))
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	putchar('\n');
}

struct listing {
	size_t	printed;
	size_t	cut;		/* lines not printed */
};

static void list_line(struct listing *ls, char sign, const char *s)
{
	if (ls->printed < LISTING_MAX) {
		print_line(sign, s);
		ls->printed++;
	} else {
		ls->cut++;
	}
}

/* One hunk: @a lines [ai, ai + na) replaced by @b lines [bi, bi + nb). */
static void print_hunk(struct listing *ls, const struct lines *a, size_t ai,
		       size_t na, const struct lines *b, size_t bi, size_t nb)
{
	size_t i;

	if (ls->printed < LISTING_MAX)
		printf("@@ -%zu,%zu +%zu,%zu @@\n", na ? ai + 1 : ai, na,
		       nb ? bi + 1 : bi, nb);
	for (i = 0; i < na; i++)
		list_line(ls, '-', a->v[ai + i]);
	for (i = 0; i < nb; i++)
		list_line(ls, '+', b->v[bi + i]);
}

/*
 * The differing lines of @a[lo_a, hi_a) and @b[lo_b, hi_b): a longest
 * common subsequence when small enough, else one hunk of them all.
 */
static void list_middle(struct listing *ls, const struct lines *a, size_t lo_a,
			size_t hi_a, const struct lines *b, size_t lo_b,
			size_t hi_b)
{
	size_t n = hi_a - lo_a, m = hi_b - lo_b, i, j, ha, hb;
	uint32_t *lcs;

#define L(i, j)	lcs[(i) * (m + 1) + (j)]
	if (!n || !m || n * m > LCS_MAX_CELLS) {
		print_hunk(ls, a, lo_a, n, b, lo_b, m);
		return;
	}
	lcs = xrealloc(NULL, (n + 1) * (m + 1) * sizeof(*lcs));
	for (i = n + 1; i-- > 0;)
		for (j = m + 1; j-- > 0;)
			L(i, j) = i == n || j == m ? 0 :
				  !strcmp(a->v[lo_a + i], b->v[lo_b + j]) ?
				  L(i + 1, j + 1) + 1 :
				  L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) :
				  L(i, j + 1);
	for (i = 0, j = 0; i < n || j < m;) {
		if (i < n && j < m && !strcmp(a->v[lo_a + i], b->v[lo_b + j])) {
			i++;
			j++;
			continue;
		}
		ha = i;
		hb = j;
		while ((i < n || j < m) &&
		       !(i < n && j < m &&
			 !strcmp(a->v[lo_a + i], b->v[lo_b + j]))) {
			if (j == m || (i < n && L(i + 1, j) >= L(i, j + 1)))
				i++;
			else
				j++;
		}
		print_hunk(ls, a, lo_a + ha, i - ha, b, lo_b + hb, j - hb);
	}
	free(lcs);
#undef L
}

/* The differing lines of @a (stock) and @b (binfmt_trace). */
static void list_differences(const struct lines *a, const struct lines *b)
{
	struct listing ls = { 0 };
	size_t pre = 0, post = 0;

	while (pre < a->n && pre < b->n && !strcmp(a->v[pre], b->v[pre]))
		pre++;
	while (post < a->n - pre && post < b->n - pre &&
	       !strcmp(a->v[a->n - 1 - post], b->v[b->n - 1 - post]))
		post++;
	printf("--- stock\n+++ binfmt_trace\n");
	list_middle(&ls, a, pre, a->n - post, b, pre, b->n - post);
	if (ls.cut)
		printf("... %zu more lines (--keep keeps both runs' files)\n",
		       ls.cut);
}

static bool lines_equal(const struct lines *a, const struct lines *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

/* Compare one part; print "PART: same" or "PART: differ" and the lines. */
static int compare_part(const struct diff *d, size_t part, bool *same)
{
	struct blob b[2];
	struct lines l[2];
	char path[PATH_MAX];
	const char *what;
	int i;

	for (i = 0; i < 2; i++) {
		if (read_file(run_file(&d->runs[i], part_names[part], path),
			      &b[i], &what) < 0) {
			free(b[i].data);
			if (i)
				free(b[0].data);
			return cannot("%s: %s: %s", path, what, strerror(errno));
		}
		split_lines(&b[i], &l[i]);
		free(b[i].data);
		if (!strcmp(part_names[part], "auxv"))
			mask_auxv(&l[i]);
	}
	if (d->against && !strcmp(part_names[part], "maps"))
		normalize_against(d, &l[0], &l[1]);
	*same = lines_equal(&l[0], &l[1]);
	printf("%s: %s\n", part_names[part], *same ? "same" : "differ");
	if (!*same)
		list_differences(&l[0], &l[1]);
	for (i = 0; i < 2; i++)
		lines_free(&l[i]);
	return EXIT_OK;
}

static int compare_runs(const struct diff *d)
{
	char differ[64] = "";
	bool same = false;
	size_t part;
	int ret;

	for (part = 0; part < NPARTS; part++) {
		ret = compare_part(d, part, &same);
		if (ret)
			return ret;
		if (!same)
			snprintf(differ + strlen(differ),
				 sizeof(differ) - strlen(differ), "%s%s",
				 *differ ? " " : "", part_names[part]);
	}
	if (d->keep)
		printf("kept: %s/stock and %s/bft\n", d->workdir, d->workdir);
	if (*differ)
		printf("bft diff: differ: %s\n", differ);
	else
		printf("bft diff: identical: %s loaded by the kernel and by "
		       "binfmt_trace (session %lu)\n", d->path,
		       d->runs[1].session);
	if (fflush(stdout) == EOF || ferror(stdout))
		return cannot("<stdout>: cannot write: %s", strerror(errno));
	return *differ ? DIFF_DIFFER : DIFF_SAME;
}

/* ------------------------------------------------------------------ */
/* Setting up                                                          */

static int parse_diff_args(const struct cmd *cmd, int argc, char **argv,
			   struct diff *d)
{
	static const struct option opts[] = {
		{ "keep",	optional_argument,	NULL, OPT_KEEP },
		{ "against",	required_argument,	NULL, OPT_AGAINST },
		{ "help",	no_argument,		NULL, OPT_HELP },
		{ }
	};
	int c, ret = EXIT_OK;

	while ((c = next_opt_until_operand(cmd, argc, argv, opts, &ret)) >= 0) {
		switch (c) {
		case OPT_KEEP:
			d->keep = true;
			d->keep_dir = optarg;
			if (optarg && !*optarg)
				return usage_error(cmd, "--keep= needs a "
						   "directory");
			break;
		case OPT_AGAINST:
			if (!*optarg)
				return usage_error(cmd, "--against needs a file");
			d->against = optarg;
			break;
		}
	}
	if (c == -2)
		return ret;
	if (optind == argc)
		return usage_error(cmd, "missing program");
	d->prog = argv[optind];
	d->argv = argv + optind;
	return EXIT_OK;
}

/* Why @path cannot be one of the runs' programs, or NULL. */
static const char *not_runnable(const char *path)
{
	unsigned char magic[BFT_MAGIC_LEN];
	struct stat st;
	int fd;

	if (stat(path, &st) < 0)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	if (access(path, X_OK) < 0)
		return "not executable";
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return strerror(errno);
	if (read(fd, magic, sizeof(magic)) == sizeof(magic) &&
	    !memcmp(magic, BFT_MAGIC, BFT_MAGIC_LEN)) {
		close(fd);
		return "a wrapped file, which the kernel's own loader cannot "
		       "load (bft unwrap it first)";
	}
	close(fd);
	return NULL;
}

static int find_programs(struct diff *d)
{
	const char *why;

	d->path = find_program(d->prog);
	if (!d->path)
		return cannot("cannot find %s: %s", d->prog, strerror(errno));
	why = not_runnable(d->path);
	if (why)
		return cannot("cannot run %s: %s", d->path, why);
	why = d->against ? not_runnable(d->against) : NULL;
	if (why)
		return cannot("--against %s: %s", d->against, why);
	d->real = realpath(d->path, NULL);
	if (!d->real)
		return cannot("%s: %s", d->path, strerror(errno));
	return EXIT_OK;
}

/* Root, debugfs, the module, recording on, trace_next_exec. */
static int check_tracing(struct diff *d)
{
	char path[PATH_MAX];
	struct blob b;
	const char *what;

	if (geteuid() != 0)
		return cannot("must be root: binfmt_trace's run is marked "
			      "through debugfs (trace_next_exec), which only "
			      "root may write");
	if (trace_dir_find("diff", &d->tdir))
		return EXIT_BAD;
	if (read_file(trace_dir_file(&d->tdir, "enable", path), &b, &what) < 0) {
		free(b.data);
		return cannot("%s: %s: %s", path, what, strerror(errno));
	}
	if (b.len && b.data[0] == '0') {
		free(b.data);
		return cannot("recording is off (echo 1 > %s): binfmt_trace "
			      "would load the program without a session to "
			      "show that it did", path);
	}
	free(b.data);
	d->mark_fd = open(trace_dir_file(&d->tdir, "trace_next_exec", path),
			  O_WRONLY | O_CLOEXEC);
	if (d->mark_fd < 0)
		return cannot("%s: cannot open: %s", path, strerror(errno));
	d->last_session = session_of(d, -1, 0);
	return EXIT_OK;
}

/* The directory of both runs' files: --keep=DIR, or a new one in $TMPDIR. */
static int make_workdir(struct diff *d)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	int i;

	if (d->keep_dir) {
		if (strlen(d->keep_dir) >= sizeof(d->workdir))
			return cannot("%s: name too long", d->keep_dir);
		strcpy(d->workdir, d->keep_dir);
		if (mkdir(d->workdir, 0755) < 0 &&
		    (errno != EEXIST || stat(d->workdir, &st) < 0 ||
		     !S_ISDIR(st.st_mode)))
			return cannot("--keep=%s: cannot create the directory: %s",
				      d->workdir, errno == EEXIST ?
				      "exists and is not a directory" :
				      strerror(errno));
	} else {
		snprintf(d->workdir, sizeof(d->workdir), "%s/bft-diff.XXXXXX",
			 tmp && *tmp && strlen(tmp) < PATH_MAX / 2 ? tmp : "/tmp");
		if (!mkdtemp(d->workdir))
			return cannot("%s: cannot create: %s", d->workdir,
				      strerror(errno));
	}
	for (i = 0; i < 2; i++) {
		d->runs[i].which = i;
		snprintf(d->runs[i].dir, sizeof(d->runs[i].dir), "%s/%s",
			 d->workdir, run_names[i]);
	}
	return EXIT_OK;
}

/* Without --keep: remove what make_workdir() and the runs created. */
static void remove_workdir(const struct diff *d)
{
	static const char * const files[] = {
		"status", "stdout", "stderr", "maps", "auxv"
	};
	char path[PATH_MAX];
	size_t i, f;

	if (d->keep || !d->workdir[0])
		return;
	for (i = 0; i < 2; i++) {
		for (f = 0; f < sizeof(files) / sizeof(files[0]); f++)
			unlink(run_file(&d->runs[i], files[f], path));
		rmdir(d->runs[i].dir);
	}
	rmdir(d->workdir);
}

int cmd_diff(const struct cmd *cmd, int argc, char **argv)
{
	struct diff d = { .mark_fd = -1 };
	int ret, i;

	ret = parse_diff_args(cmd, argc, argv, &d);
	if (!ret)
		ret = check_tracing(&d);
	if (!ret)
		ret = find_programs(&d);
	if (!ret)
		ret = make_workdir(&d);
	for (i = 0; !ret && i < 2; i++)
		ret = do_run(&d, &d.runs[i]);
	if (!ret)
		ret = compare_runs(&d);
	else if (d.keep && d.workdir[0])
		fprintf(stderr, "bft diff: what was captured is in %s\n",
			d.workdir);
	remove_workdir(&d);
	if (d.mark_fd >= 0)
		close(d.mark_fd);
	for (i = 0; i < 2; i++)
		free((char *)d.runs[i].exec_step);
	free(d.path);
	free(d.real);
	return ret;
}
