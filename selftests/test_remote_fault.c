// SPDX-License-Identifier: GPL-2.0
/*
 * test_remote_fault - a traced fault that sleeps across the end of its
 * session (docs/hardening.md, "Use-after-free on the fault path").
 *
 * A wrapped program is exec'd from a FUSE file system that this test
 * serves itself, holding back the reads of two pages:
 *
 *   1. The loader maps the first PT_LOAD (B), then the second (A), whose
 *      padzero() faults on A's file page after the point of no return:
 *      the exec waits there, its new mm traced.
 *   2. process_vm_readv() from another thread reads B: a remote fault on
 *      the traced mm, under handle_mm_fault(), that waits for B's page.
 *   3. A's page is let go.  The third PT_LOAD cannot be mapped (its
 *      offset ends past MAX_LFS_FILESIZE: EOVERFLOW), so the load fails,
 *      the task dies of SIGSEGV and its mm is traced no longer.
 *   4. 300 more loads fail (a wrapper around a bad ELF): the session of
 *      step 1 is over and is pushed off the list of 256.
 *   5. Only then is B's page let go.
 *
 * Checked: the session left the list while the fault slept; the sleeping
 * fault kept the probes armed past disarm_delay_ms and the module pinned
 * (rmmod refused with EWOULDBLOCK); when it returned, its event went into
 * the trace once, with the session's id and the reader's thread, and the
 * probes were disarmed; the bytes read are the file's.  On the debug kernel (make check-debug) KASAN
 * watches the return handler for a write to a freed session.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <linux/fuse.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "kselftest_harness.h"
#include "trace_parse.h"

#define PARAMS		"/sys/module/" BFT_MODULE_NAME "/parameters/"
#define MNT		"/tmp/bft-fuse"
#define PROG		MNT "/stall.bft"
#define BAD_ELF		"/tmp/bft-bad-elf.bft"
#define PAGE		4096UL
#define ELF_SIZE	0x3800UL
#define FILE_SIZE	(BFT_ELF_ALIGN + ELF_SIZE)
#define B_VADDR		0x402000UL	/* the remote read's page */
#define B_PAGE		(BFT_ELF_ALIGN + 0x2000)	/* its file offset */
#define A_PAGE		(BFT_ELF_ALIGN + 0x3000)	/* padzero()'s page */
#define HELD_A		0
#define HELD_B		1
#define FAILED_LOADS	300

/* A read the server holds back until the test lets its page go. */
struct held {
	uint64_t page;
	bool armed;		/* hold the next read of the page */
	bool waiting;		/* a read is held: reply to @unique */
	uint64_t unique;
	uint64_t off;
	uint32_t size;
};

/* The FUSE server: one file, PROG, served from @image. */
struct fs {
	int fd;			/* /dev/fuse */
	int ctl[2];		/* the test to the server: a held index, or -1 */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned char image[FILE_SIZE];
	struct held held[2];
};

static void fs_reply(struct fs *fs, uint64_t unique, int error,
		     const void *body, size_t len)
{
	struct fuse_out_header out = {
		.len = sizeof(out) + len, .error = error, .unique = unique,
	};
	struct iovec iov[2] = {
		{ &out, sizeof(out) }, { (void *)body, len },
	};

	if (writev(fs->fd, iov, len ? 2 : 1) < 0)
		perror("fuse reply");
}

static void fs_attr(struct fuse_attr *a, uint64_t ino)
{
	memset(a, 0, sizeof(*a));
	a->ino = ino;
	a->nlink = 1;
	a->blksize = PAGE;
	a->mode = S_IFDIR | 0755;
	if (ino == FUSE_ROOT_ID)
		return;
	a->mode = S_IFREG | 0755;
	a->size = FILE_SIZE;
	a->blocks = (FILE_SIZE + 511) / 512;
}

/* No readahead: a fault reads its own page, and no other. */
static void fs_init(struct fs *fs, const struct fuse_in_header *in)
{
	struct fuse_init_out o = {
		.major = FUSE_KERNEL_VERSION,
		.minor = FUSE_KERNEL_MINOR_VERSION,
		.max_readahead = 0,
		.max_background = 16,
		.congestion_threshold = 12,
		.max_write = PAGE,
		.time_gran = 1,
	};

	fs_reply(fs, in->unique, 0, &o, sizeof(o));
}

static void fs_lookup(struct fs *fs, const struct fuse_in_header *in,
		      const char *name)
{
	struct fuse_entry_out o = {
		.nodeid = 2, .generation = 1,
		.entry_valid = 3600, .attr_valid = 3600,
	};

	if (in->nodeid != FUSE_ROOT_ID || strcmp(name, "stall.bft")) {
		fs_reply(fs, in->unique, -ENOENT, NULL, 0);
		return;
	}
	fs_attr(&o.attr, 2);
	fs_reply(fs, in->unique, 0, &o, sizeof(o));
}

static void fs_send_data(struct fs *fs, uint64_t unique, uint64_t off,
			 uint32_t size)
{
	size_t len = 0;

	if (off < FILE_SIZE)
		len = size < FILE_SIZE - off ? size : FILE_SIZE - off;
	fs_reply(fs, unique, 0, fs->image + off, len);
}

/* A read that covers an armed page is held; any other is answered. */
static void fs_read(struct fs *fs, const struct fuse_in_header *in,
		    const struct fuse_read_in *r)
{
	struct held *h;

	pthread_mutex_lock(&fs->lock);
	for (h = fs->held; h < fs->held + 2; h++) {
		if (!h->armed || h->waiting || h->page < r->offset ||
		    h->page >= r->offset + r->size)
			continue;
		h->waiting = true;
		h->unique = in->unique;
		h->off = r->offset;
		h->size = r->size;
		pthread_cond_broadcast(&fs->cond);
		pthread_mutex_unlock(&fs->lock);
		return;
	}
	pthread_mutex_unlock(&fs->lock);
	fs_send_data(fs, in->unique, r->offset, r->size);
}

static void fs_request(struct fs *fs, const struct fuse_in_header *in)
{
	const void *arg = in + 1;
	struct fuse_attr_out attr = { .attr_valid = 3600 };
	struct fuse_open_out open_out = { .fh = 1 };

	switch (in->opcode) {
	case FUSE_INIT:
		fs_init(fs, in);
		break;
	case FUSE_LOOKUP:
		fs_lookup(fs, in, arg);
		break;
	case FUSE_GETATTR:
		fs_attr(&attr.attr, in->nodeid);
		fs_reply(fs, in->unique, 0, &attr, sizeof(attr));
		break;
	case FUSE_OPEN:
		fs_reply(fs, in->unique, 0, &open_out, sizeof(open_out));
		break;
	case FUSE_READ:
		fs_read(fs, in, arg);
		break;
	case FUSE_RELEASE:
	case FUSE_FLUSH:
		fs_reply(fs, in->unique, 0, NULL, 0);
		break;
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
	case FUSE_INTERRUPT:
		break;
	default:
		fs_reply(fs, in->unique, -ENOSYS, NULL, 0);
	}
}

/* The test lets held page @i go: answer its read, if one is waiting. */
static void fs_release(struct fs *fs, int i)
{
	struct held *h = &fs->held[i];

	pthread_mutex_lock(&fs->lock);
	h->armed = false;
	if (h->waiting)
		fs_send_data(fs, h->unique, h->off, h->size);
	h->waiting = false;
	pthread_mutex_unlock(&fs->lock);
}

static void *fs_serve(void *arg)
{
	static char buf[FUSE_MIN_READ_BUFFER + 128 * 1024];
	struct fs *fs = arg;
	struct pollfd p[2] = {
		{ .fd = fs->fd, .events = POLLIN },
		{ .fd = fs->ctl[0], .events = POLLIN },
	};
	int i;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return NULL;
		if (p[1].revents) {
			if (read(fs->ctl[0], &i, sizeof(i)) != sizeof(i) ||
			    i < 0)
				return NULL;
			fs_release(fs, i);
		}
		if (p[0].revents & (POLLERR | POLLHUP | POLLNVAL))
			return NULL;
		if ((p[0].revents & POLLIN) && read(fs->fd, buf, sizeof(buf)) >=
		    (ssize_t)sizeof(struct fuse_in_header))
			fs_request(fs, (struct fuse_in_header *)buf);
	}
}

static void fs_tell(struct fs *fs, int i)
{
	if (write(fs->ctl[1], &i, sizeof(i)) != sizeof(i))
		perror("fuse control");
}

/* Wait up to 60 s for a read of held page @i to arrive. */
static bool fs_wait_held(struct fs *fs, int i)
{
	struct timespec until;
	int err = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 60;
	pthread_mutex_lock(&fs->lock);
	while (!fs->held[i].waiting && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&fs->cond, &fs->lock, &until);
	pthread_mutex_unlock(&fs->lock);
	return fs->held[i].waiting;
}

static void set_load(Elf64_Phdr *ph, uint64_t off, uint64_t vaddr,
		     uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	ph->p_type = PT_LOAD;
	ph->p_flags = flags;
	ph->p_offset = off;
	ph->p_vaddr = ph->p_paddr = vaddr;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = PAGE;
}

/*
 * The wrapped ET_EXEC: B (read-only, a page of 'B'), A (data with bss,
 * so padzero() writes into A's file page), and a third PT_LOAD whose
 * offset, shifted by the wrapper, ends at 2^63: mapping it fails.
 */
static void build_image(unsigned char *img)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)(img + BFT_ELF_ALIGN);
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);
	struct bft_header h;

	memset(img, 0, FILE_SIZE);
	bft_header_init(&h, ELF_SIZE);
	memcpy(h.label, "stall", 5);
	memcpy(img, &h, sizeof(h));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = B_VADDR;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 3;
	set_load(&ph[0], 0x2000, B_VADDR, PAGE, PAGE, PF_R | PF_X);
	set_load(&ph[1], 0x3000, 0x403000, 0x800, 0x2000, PF_R | PF_W);
	set_load(&ph[2], 0x7ffffffffffff000ULL, 0x405000, PAGE, PAGE, PF_R);
	memset(img + B_PAGE, 'B', PAGE);
}

static int fs_mount(struct fs *fs)
{
	char opts[128];

	fs->fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fs->fd < 0 || pipe2(fs->ctl, O_CLOEXEC))
		return -1;
	mkdir(MNT, 0755);
	snprintf(opts, sizeof(opts),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other",
		 fs->fd);
	if (mount("bft-stall", MNT, "fuse", MS_NOSUID | MS_NODEV, opts))
		return -1;
	pthread_mutex_init(&fs->lock, NULL);
	pthread_cond_init(&fs->cond, NULL);
	return pthread_create(&fs->thread, NULL, fs_serve, fs) ? -1 : 0;
}

/* What the reading thread did. */
struct remote {
	pid_t pid;		/* whose memory */
	pid_t tid;		/* the reader */
	ssize_t n;
	int err;
	unsigned char buf[PAGE];
};

static void *remote_read(void *arg)
{
	struct remote *r = arg;
	struct iovec local = { r->buf, PAGE };
	struct iovec far = { (void *)B_VADDR, PAGE };

	r->tid = syscall(SYS_gettid);
	r->n = process_vm_readv(r->pid, &local, 1, &far, 1, 0);
	r->err = errno;
	return NULL;
}

/* Is session @s on a line of the sessions file? */
static bool session_listed(uint32_t s)
{
	char *text = tp_read_file(BFT_DEBUGFS "/sessions", NULL), *p;
	char key[32];
	bool found = false;

	snprintf(key, sizeof(key), "session=%u ", s);
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, strlen(key)))
			found = true;
	free(text);
	return found;
}

/* Loads that fail (ENOEXEC) after their session started. */
static void fail_loads(struct __test_metadata *_metadata, int n)
{
	unsigned char elf[64] = { 0 };
	char *argv[] = { BAD_ELF, NULL };
	char *envp[] = { NULL };
	struct bft_header h;
	int i;

	bft_header_init(&h, sizeof(elf));
	ASSERT_EQ(0, bft_write_wrapped(BAD_ELF, &h, elf, sizeof(elf)));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(-1, execve(BAD_ELF, argv, envp));
		ASSERT_EQ(ENOEXEC, errno);
	}
}

/* The page_fault events of session @s by thread @tid at @addr's page. */
static size_t faults_at(const struct tp_trace *t, uint32_t s, pid_t tid,
			uint64_t addr, const struct tp_event **last)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++) {
		const struct tp_event *ev = &t->ev[i];

		if (ev->session == s && tp_is(ev, "page_fault") &&
		    ev->tid == tid && (tp_x(ev, "addr") & ~(PAGE - 1)) == addr) {
			n++;
			*last = ev;
		}
	}
	return n;
}

FIXTURE(remote) {
	struct fs *fs;
	char delay[32];
};

FIXTURE_SETUP(remote)
{
	ASSERT_EQ(0, tp_swap_file(PARAMS "disarm_delay_ms", "100", self->delay,
				  sizeof(self->delay)));
	ASSERT_EQ(1, tp_read_number(BFT_DEBUGFS "/enable"));
	self->fs = calloc(1, sizeof(*self->fs));
	ASSERT_NE(NULL, self->fs);
	build_image(self->fs->image);
	self->fs->held[HELD_A] = (struct held){ .page = A_PAGE, .armed = true };
	self->fs->held[HELD_B] = (struct held){ .page = B_PAGE, .armed = true };
	ASSERT_EQ(0, fs_mount(self->fs)) TH_LOG("FUSE mount: %m");
}

FIXTURE_TEARDOWN(remote)
{
	fs_tell(self->fs, HELD_A);
	fs_tell(self->fs, HELD_B);
	fs_tell(self->fs, -1);
	pthread_join(self->fs->thread, NULL);
	umount2(MNT, MNT_DETACH);
	close(self->fs->fd);
	tp_write_file(PARAMS "disarm_delay_ms", self->delay);
	unlink(BAD_ELF);
}

/* Steps 1 to 3: the exec waits in padzero(), the reader on B. */
static pid_t start_stalled(struct __test_metadata *_metadata, struct fs *fs,
			   struct remote *r, pthread_t *reader)
{
	char *argv[] = { PROG, NULL };
	char *envp[] = { NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execve(PROG, argv, envp);
		_exit(127);
	}
	EXPECT_LT(0, pid);
	EXPECT_TRUE(fs_wait_held(fs, HELD_A))
		TH_LOG("the exec never read A's page");
	r->pid = pid;
	EXPECT_EQ(0, pthread_create(reader, NULL, remote_read, r));
	EXPECT_TRUE(fs_wait_held(fs, HELD_B))
		TH_LOG("the remote read never faulted on B");
	return pid;
}

TEST_F(remote, fault_sleeping_across_the_end_of_its_session_is_safe)
{
	static struct remote r;
	const struct tp_event *ev = NULL;
	struct tp_trace t;
	pthread_t reader;
	int status, err, i;
	uint32_t s;
	pid_t pid;

	ASSERT_EQ(0, tp_clear());
	pid = start_stalled(_metadata, self->fs, &r, &reader);
	ASSERT_LT(0, pid);
	fs_tell(self->fs, HELD_A);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		TH_LOG("exec status %#x", status);
	ASSERT_EQ(0, tp_read_trace(&t));
	s = tp_session_of_pid(&t, pid);
	ASSERT_NE(0U, s);
	ev = tp_find(&t, s, "load_end");
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(-EOVERFLOW, tp_d(ev, "result"));
	tp_free(&t);

	fail_loads(_metadata, FAILED_LOADS);
	EXPECT_FALSE(session_listed(s));
	for (i = 0; i < 10 && tp_stat("probes_armed") == 1; i++)
		usleep(100 * 1000);	/* ten times disarm_delay_ms */
	EXPECT_EQ(1, tp_stat("probes_armed"));
	EXPECT_EQ(1, tp_stat("faults_in_flight"));
	err = syscall(SYS_delete_module, BFT_MODULE_NAME, O_NONBLOCK) ?
	      errno : 0;
	if (!err)
		EXPECT_EQ(0, system("insmod " BFT_MODULE_PATH));
	EXPECT_EQ(EWOULDBLOCK, err) TH_LOG("rmmod under a sleeping fault: %s",
					   err ? strerror(err) : "unloaded");

	fs_tell(self->fs, HELD_B);
	ASSERT_EQ(0, pthread_join(reader, NULL));
	ASSERT_EQ((ssize_t)PAGE, r.n) TH_LOG("process_vm_readv: %s",
					     strerror(r.err));
	for (i = 0; i < (int)PAGE && r.buf[i] == 'B'; i++)
		;
	EXPECT_EQ((int)PAGE, i);
	EXPECT_EQ(0, tp_stat("faults_in_flight"));
	/* The disarm gave up while the fault slept; the fault's end calls it. */
	for (i = 0; i < 100 && tp_stat("probes_armed") != 0; i++)
		usleep(100 * 1000);
	EXPECT_EQ(0, tp_stat("probes_armed"));
	ASSERT_EQ(0, tp_read_trace(&t));
	ev = NULL;
	EXPECT_EQ(1U, faults_at(&t, s, r.tid, B_VADDR, &ev));
	if (ev) {
		/* The read waited with mmap_lock dropped: VM_FAULT_RETRY. */
		tp_log_line(ev->line);
		EXPECT_TRUE(tp_eq(ev, "access", "read"));
		EXPECT_TRUE(tp_eq(ev, "mode", "remote"));
		EXPECT_TRUE(tp_eq(ev, "obj", "exe"));
		EXPECT_TRUE(tp_eq(ev, "seg", "0"));
		EXPECT_TRUE(tp_eq(ev, "off", "0x2000"));
		EXPECT_TRUE(tp_eq(ev, "result", "retry"));
		EXPECT_TRUE(tp_eq(ev, "cache", "miss"));
	}
	tp_free(&t);
}

TEST_HARNESS_MAIN
