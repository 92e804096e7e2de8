// SPDX-License-Identifier: GPL-2.0
/*
 * test_parity - a program loaded by binfmt_trace is indistinguishable from
 * the same program loaded by the kernel's ELF loader.
 *
 * Each probe program (progs/probe.c, linked several ways) runs once plain
 * and once wrapped, from paths of the same length and with the same argv
 * and envp, with ASLR off.  Its report (argv/envp addresses, auxv, brk, a
 * fresh mmap, code and stack addresses, /proc/self/maps) must be the same
 * line for line, except that the wrapped file's mappings have a different
 * inode and file offsets shifted by the wrapper header.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/personality.h>

#include "kselftest_harness.h"
#include "bft_test.h"

#define PROGS		"/selftests/progs"
#define PLAIN_DIR	"/tmp/parity/plain"
#define WRAPPED_DIR	"/tmp/parity/wrapd"	/* same length as PLAIN_DIR */
#define REPORT_MAX	(1024 * 1024)

struct run {
	char *out;
	size_t len;
	int status;
};

/* Run @path with @persona; capture stdout and the wait status. */
static int run_program_with(const char *path, unsigned long persona,
			    char *const argv[], char *const envp[],
			    struct run *r)
{
	int pipefd[2];
	ssize_t n;
	pid_t pid;

	r->out = calloc(1, REPORT_MAX + 1);
	r->len = 0;
	if (!r->out || pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		if (personality(persona) < 0)
			_exit(125);
		execve(path, argv, envp);
		_exit(126);
	}
	close(pipefd[1]);
	while (r->len < REPORT_MAX &&
	       (n = read(pipefd[0], r->out + r->len, REPORT_MAX - r->len)) > 0)
		r->len += n;
	close(pipefd[0]);
	return waitpid(pid, &r->status, 0) == pid ? 0 : -1;
}

static int run_program(const char *path, unsigned long persona,
		       struct run *r)
{
	char *argv[] = { "probe", "first-arg", NULL };
	char *envp[] = { "A=1", "PATH=/bin", NULL };

	return run_program_with(path, persona, argv, envp, r);
}

/*
 * Rewrite one "map" line of the wrapped run so that it reads like the
 * plain run's: the program's own mappings lose their device and inode,
 * and the wrapped file's offsets lose the header in front of the ELF.
 */
static void normalize_map(char *line, const char *prog, unsigned long shift,
			  FILE *to)
{
	char range[64], perms[8], dev[16], path[256] = "";
	unsigned long offset, inode;

	if (sscanf(line, "map %63s %7s %lx %15s %lu %255s", range, perms,
		   &offset, dev, &inode, path) < 5) {
		fprintf(to, "%s\n", line);
		return;
	}
	if (strcmp(path, prog) == 0)
		fprintf(to, "map %s %s %08lx PROG\n", range, perms,
			offset - shift);
	else
		fprintf(to, "map %s %s %08lx %s %lu %s\n", range, perms,
			offset, dev, inode, path);
}

static char *normalize(struct run *r, const char *prog, unsigned long shift)
{
	char *out = NULL, *line, *save = NULL;
	size_t size = 0;
	FILE *to = open_memstream(&out, &size);

	for (line = strtok_r(r->out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "map ", 4) == 0)
			normalize_map(line, prog, shift, to);
		else
			fprintf(to, "%s\n", line);
	}
	fclose(to);
	return out;
}

/* Log the first line where two reports differ. */
static void log_first_difference(struct __test_metadata *_metadata,
				 const char *a, const char *b)
{
	const char *line_a = a, *line_b = b;
	int line = 1;

	for (; *a && *a == *b; a++, b++) {
		if (*a == '\n') {
			line++;
			line_a = a + 1;
			line_b = b + 1;
		}
	}
	TH_LOG("first difference at line %d: plain '%.*s', wrapped '%.*s'",
	       line, (int)strcspn(line_a, "\n"), line_a,
	       (int)strcspn(line_b, "\n"), line_b);
}

static void prepare(struct __test_metadata *_metadata, const char *name,
		    char *plain, char *wrapped, size_t size)
{
	char cmd[512];

	snprintf(plain, size, PLAIN_DIR "/%s", name);
	snprintf(wrapped, size, WRAPPED_DIR "/%s", name);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p " PLAIN_DIR " " WRAPPED_DIR " && cp %s/%s %s && "
		 "bft wrap %s %s", PROGS, name, plain, plain, wrapped);
	ASSERT_EQ(0, system(cmd));
}

FIXTURE(probe) {
	char plain[128];
	char wrapped[128];
};

FIXTURE_VARIANT(probe) {
	const char *name;
};

#define PROBE_VARIANT(id, file)				\
	FIXTURE_VARIANT_ADD(probe, id) { .name = file }

PROBE_VARIANT(static_nopie, "probe-static");
PROBE_VARIANT(static_pie, "probe-static-pie");
PROBE_VARIANT(dynamic_pie, "probe-dynamic-pie");
PROBE_VARIANT(dynamic_nopie, "probe-dynamic-nopie");
PROBE_VARIANT(musl_static, "probe-musl-static");
PROBE_VARIANT(executable_stack, "probe-execstack");
PROBE_VARIANT(huge_bss, "probe-huge-bss");
PROBE_VARIANT(many_loads, "probe-many-loads");

FIXTURE_SETUP(probe)
{
	prepare(_metadata, variant->name, self->plain, self->wrapped,
		sizeof(self->plain));
}

FIXTURE_TEARDOWN(probe)
{
	unlink(self->plain);
	unlink(self->wrapped);
}

/* Run both copies with ASLR off; their reports must be the same. */
static void compare_runs(struct __test_metadata *_metadata,
			 const char *plain_path, const char *wrapped_path,
			 char *const argv[], char *const envp[])
{
	struct run plain, wrapped;
	char *a, *b;

	ASSERT_EQ(0, run_program_with(plain_path, ADDR_NO_RANDOMIZE, argv,
				      envp, &plain));
	ASSERT_EQ(0, run_program_with(wrapped_path, ADDR_NO_RANDOMIZE, argv,
				      envp, &wrapped));
	ASSERT_TRUE(WIFEXITED(plain.status));
	ASSERT_EQ(0, WEXITSTATUS(plain.status));
	EXPECT_EQ(plain.status, wrapped.status);
	ASSERT_LT(20, (int)plain.len);

	a = normalize(&plain, plain_path, 0);
	b = normalize(&wrapped, wrapped_path, BFT_ELF_ALIGN);
	if (strcmp(a, b) != 0)
		log_first_difference(_metadata, a, b);
	EXPECT_EQ(0, strcmp(a, b));
	free(a);
	free(b);
	free(plain.out);
	free(wrapped.out);
}

TEST_F(probe, same_process_image_with_aslr_off)
{
	char *argv[] = { "probe", "first-arg", NULL };
	char *envp[] = { "A=1", "PATH=/bin", NULL };

	compare_runs(_metadata, self->plain, self->wrapped, argv, envp);
}

/*
 * argv and envp just under ARG_MAX (a quarter of the 8 MiB stack limit):
 * fourteen arguments of MAX_ARG_STRLEN - 1 bytes and a 100 KiB variable.
 */
#define BIG_ARGS	14
#define BIG_ARG_LEN	(32 * 4096 - 1)

TEST(argv_and_envp_near_arg_max_laid_out_as_stock)
{
	char *argv[BIG_ARGS + 2] = { "probe" }, *envp[3] = { "A=1" };
	char plain[128], wrapped[128];
	int i;

	prepare(_metadata, "probe-static", plain, wrapped, sizeof(plain));
	for (i = 1; i <= BIG_ARGS; i++) {
		argv[i] = malloc(BIG_ARG_LEN + 1);
		ASSERT_NE(NULL, argv[i]);
		memset(argv[i], 'a' + i, BIG_ARG_LEN);
		argv[i][BIG_ARG_LEN] = '\0';
	}
	envp[1] = malloc(100 * 1024);
	ASSERT_NE(NULL, envp[1]);
	memset(envp[1], 'e', 100 * 1024 - 1);
	envp[1][0] = 'B';
	envp[1][1] = '=';
	envp[1][100 * 1024 - 1] = '\0';

	compare_runs(_metadata, plain, wrapped, argv, envp);
}

/*
 * 30000 empty arguments: their pointers (240 KB) do not fit in the 128 KiB
 * that setup_arg_pages() leaves below the strings, so create_elf_tables()
 * must grow the stack, which stock does with find_extend_vma_locked() and
 * binfmt_trace by the fault of its first write (docs/loader.md).  The
 * stack VMA, argv and the rest must come out the same.
 */
#define MANY_ARGS	30000

TEST(argv_pointers_that_grow_the_stack_laid_out_as_stock)
{
	char **argv, *envp[] = { "A=1", NULL };
	char plain[128], wrapped[128];
	int i;

	prepare(_metadata, "probe-static", plain, wrapped, sizeof(plain));
	argv = calloc(MANY_ARGS + 2, sizeof(*argv));
	ASSERT_NE(NULL, argv);
	argv[0] = "probe";
	for (i = 1; i <= MANY_ARGS; i++)
		argv[i] = "";

	compare_runs(_metadata, plain, wrapped, argv, envp);
	free(argv);
}

/* The value of "KEY 0x..." in a report, or 0. */
static unsigned long report_value(const struct run *r, const char *key)
{
	char needle[32];
	const char *p;

	snprintf(needle, sizeof(needle), "\n%s ", key);
	p = strstr(r->out, needle);
	return p ? strtoul(p + strlen(needle), NULL, 16) : 0;
}

static int count_distinct(const unsigned long *v, int n)
{
	int i, j, distinct = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && v[j] != v[i]; j++)
			;
		distinct += j == i;
	}
	return distinct;
}

#define ASLR_RUNS	20
static const char * const aslr_keys[] = { "stack", "mmap", "brk", "main" };

/*
 * With ASLR on, what the stock loader randomizes we randomize too: over
 * 20 runs each address takes as many distinct values for the wrapped
 * program as for the plain one, give or take chance collisions.
 */
TEST_F(probe, randomized_like_stock_with_aslr_on)
{
	unsigned long seen[2][ARRAY_SIZE(aslr_keys)][ASLR_RUNS];
	const char *paths[2] = { self->plain, self->wrapped };
	struct run r;
	int which, i, k, plain_distinct, wrapped_distinct;

	for (which = 0; which < 2; which++) {
		for (i = 0; i < ASLR_RUNS; i++) {
			ASSERT_EQ(0, run_program(paths[which], 0, &r));
			ASSERT_EQ(0, r.status);
			for (k = 0; k < (int)ARRAY_SIZE(aslr_keys); k++)
				seen[which][k][i] = report_value(&r, aslr_keys[k]);
			free(r.out);
		}
	}
	for (k = 0; k < (int)ARRAY_SIZE(aslr_keys); k++) {
		plain_distinct = count_distinct(seen[0][k], ASLR_RUNS);
		wrapped_distinct = count_distinct(seen[1][k], ASLR_RUNS);
		TH_LOG("%s: %d distinct plain, %d wrapped", aslr_keys[k],
		       plain_distinct, wrapped_distinct);
		if (plain_distinct == 1) {
			EXPECT_EQ(1, wrapped_distinct);
		} else {
			EXPECT_LE(plain_distinct - 3, wrapped_distinct);
		}
	}
}

TEST_HARNESS_MAIN
