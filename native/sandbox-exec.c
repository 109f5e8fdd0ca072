/*
 * sandbox-exec: applies a Landlock ruleset and a seccomp syscall filter, then
 * execs a program.
 *
 * shelfwise starts plugin runtimes through it (Node cannot call the landlock
 * or seccomp syscalls). Rules come from argv; whatever is not granted is denied
 * for the program and every process it starts, whatever their privileges:
 *
 *   sandbox-exec --abi                      print the kernel's Landlock ABI (0: none),
 *                                           a space, 1 if seccomp filters work (else 0),
 *                                           a space, 1 (this helper knows --reap), a space,
 *                                           1 (it knows --nproc and --pids-cgroup), a space
 *                                           1 (it knows --guard), a space, 1 (it knows --fsize),
 *                                           a space and 1 (it knows --memory-cgroup)
 *   sandbox-exec [--no-landlock] [--ro PATH]... [--rw PATH]... [--net] [--connect PORT]...
 *                [--bind PORT]... [--scope] [--syscalls] [--tcp-only] [--reap] [--nproc N] [--fsize MB]
 *                -- PROGRAM [ARG]...
 *   sandbox-exec --pids-cgroup DIR N -- PROGRAM [ARG]...
 *                                           creates the cgroup DIR (a folder of a pids
 *                                           controller shelfwise may write), sets its pids.max
 *                                           to N, moves itself into it and execs PROGRAM with
 *                                           nothing else changed: the kernel then refuses the
 *                                           N+1th task (process or thread) of everything PROGRAM
 *                                           starts, at the fork itself. Used outermost, before
 *                                           bwrap, which needs its privileges untouched.
 *   sandbox-exec --memory-cgroup DIR BYTES -- PROGRAM [ARG]...
 *                                           the same with a memory cgroup: memory.max (v2) or
 *                                           memory.limit_in_bytes (v1) set to BYTES, swap kept
 *                                           within it where the kernel accounts swap: the
 *                                           kernel's OOM killer then takes the plugin at BYTES,
 *                                           Buffers and native memory included, at the page
 *                                           fault itself (a poll of resident memory came late)
 *   sandbox-exec --guard PARENT_PID [--pids-cgroup DIR N] [--memory-cgroup DIR BYTES] -- PROGRAM [ARG]...
 *                                           the outermost link: dies with shelfwise (checking
 *                                           that PARENT_PID is still its parent once the death
 *                                           signal is set), stays as PROGRAM's parent and a
 *                                           child subreaper, and kills every process of the
 *                                           plugin when PROGRAM ends, on SIGTERM and when
 *                                           shelfwise dies (see guard() below)
 *
 *   --no-landlock no Landlock ruleset (only the syscall filter; path and port rules are refused)
 *   --ro PATH     read (and execute) files beneath PATH
 *   --rw PATH     read, write, create and remove beneath PATH
 *   --net         handle TCP (ABI 4+): only the --connect/--bind ports are allowed
 *   --scope       (ABI 6+) no signals to, and no abstract unix sockets of, processes outside
 *   --syscalls    seccomp filter: refuse what no plugin needs and what no namespace or Landlock
 *                 rule covers: the kernel keyrings (not namespaced: a login session's keys),
 *                 io_uring (its own socket and file operations), SysV shared memory and
 *                 message queues (memory outside every limit), larger socket buffers
 *                 (SO_SNDBUF/SO_RCVBUF: accepted, not applied), new namespaces, bpf,
 *                 perf_event_open, userfaultfd, mounts and modules, file leases
 *                 (fcntl F_SETLEASE: a lease stalls every writer of a library file); sockets only of the
 *                 unix, IPv4/IPv6 and routing-netlink families (no vsock, which no network
 *                 namespace isolates: on a VM it reaches the hypervisor's host); another
 *                 architecture's syscall table is refused outright
 *   --tcp-only    (with --syscalls, for a plugin without a network namespace) IPv4/IPv6
 *                 sockets only of type stream with protocol TCP (Landlock's port rules cover
 *                 TCP alone: MPTCP, SCTP and UDP would pass them), and no unix socket() at all
 *                 (Landlock does not check connecting to a named one; socketpair still works)
 *   --reap        (for a plugin without a PID namespace) stay as the program's parent, outside
 *                 its sandbox, as a child subreaper: every process the program starts, setsid and
 *                 double-forked ones included, stays this helper's descendant. When the program
 *                 exits, on SIGTERM (shelfwise stopping the plugin: a timeout, a crash, the end of
 *                 a run) and when shelfwise dies (the parent-death signal becomes SIGTERM), every
 *                 one of them is killed; then the helper exits with the program's status (128 + n
 *                 for a death by signal n, as bubblewrap reports it; 128 + 9 when stopped).
 *                 With Landlock's signal scoping (ABI 6) the program cannot signal the helper.
 *   --nproc N     RLIMIT_NPROC of N (soft and hard) for the program: inside a user namespace it
 *                 counts the tasks of the namespace's user only, so the N+1th process or thread
 *                 of the plugin fails at the fork (EAGAIN). The kernel exempts the global root
 *                 user (kuid 0, whatever the namespace maps it to): for root, the pids cgroup
 *                 (--pids-cgroup) is what holds.
 *
 * In every mode (but --abi) it first sets RLIMIT_CORE to 0, soft and hard: no
 * core dump of a plugin (its memory holds its secrets) in its data folder;
 * RLIMIT_RTPRIO and RLIMIT_NICE to 0: no real-time scheduling, no priority above
 * shelfwise's; and oom_score_adj to 1000: the out-of-memory killer takes a plugin
 * before shelfwise.
 *
 * It also sets no_new_privs and, when started as root, drops every capability,
 * so root inside is no stronger than anyone, and keeps only descriptors 0-3
 * (stdio and the protocol pipe) across the exec: a descriptor shelfwise itself
 * inherited without close-on-exec (a wrapper script's lock file, a service
 * manager's socket) would otherwise reach the plugin, and Landlock does not
 * check descriptors that are already open. Exit code 121 when the kernel
 * cannot apply what was asked (the host then knows the wall is not there).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

/* Spelled out here: distribution headers often predate the ABI this uses. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2

#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_REMOVE_DIR (1ULL << 4)
#define FS_REMOVE_FILE (1ULL << 5)
#define FS_MAKE_CHAR (1ULL << 6)
#define FS_MAKE_DIR (1ULL << 7)
#define FS_MAKE_REG (1ULL << 8)
#define FS_MAKE_SOCK (1ULL << 9)
#define FS_MAKE_FIFO (1ULL << 10)
#define FS_MAKE_BLOCK (1ULL << 11)
#define FS_MAKE_SYM (1ULL << 12)
#define FS_REFER (1ULL << 13)     /* ABI 2 */
#define FS_TRUNCATE (1ULL << 14)  /* ABI 3 */
#define FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */

#define NET_BIND_TCP (1ULL << 0)    /* ABI 4 */
#define NET_CONNECT_TCP (1ULL << 1) /* ABI 4 */

#define SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define SCOPE_SIGNAL (1ULL << 1)        /* ABI 6 */

struct ruleset_attr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct path_beneath_attr {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

struct net_port_attr {
  uint64_t allowed_access;
  uint64_t port;
};

#define FAIL 121

static int abi_version(void) {
  long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : (int)abi;
}

static void die(const char *what, const char *arg) {
  fprintf(stderr, "sandbox-exec: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
  exit(FAIL);
}

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif

/* seccomp_data.args[n]'s low 32 bits (every argument checked here is an int). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#else
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n) + 4)
#endif

#define MAX_FILTER 160
static struct sock_filter filter[MAX_FILTER];
static unsigned short filter_len;

static void emit(struct sock_filter insn) {
  if (filter_len >= MAX_FILTER) {
    fprintf(stderr, "sandbox-exec: syscall filter too long\n");
    exit(FAIL);
  }
  filter[filter_len++] = insn;
}

#define RET(v) emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (v)))
#define LOAD(off) emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off)))
#define ALLOW SECCOMP_RET_ALLOW
#define ERRNO(e) (SECCOMP_RET_ERRNO | ((e)&SECCOMP_RET_DATA))

/* if (nr == n) return ERRNO(e); */
static void deny(int nr, int e) {
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1));
  RET(ERRNO(e));
}

/* The accumulator holds the syscall number again afterwards. */
#define RELOAD_NR() LOAD(offsetof(struct seccomp_data, nr))

static int seccomp_supported(void) {
#ifdef NATIVE_ARCH
  /* A NULL filter: EFAULT when filters are supported, EINVAL when not; nothing is installed. */
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) < 0 && errno == EFAULT;
#else
  return 0;
#endif
}

static void install_syscall_filter(int tcp_only) {
#ifndef NATIVE_ARCH
  (void)tcp_only;
  fprintf(stderr, "sandbox-exec: no syscall filter for this architecture\n");
  exit(FAIL);
#else
  LOAD(offsetof(struct seccomp_data, arch));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0));
  RET(SECCOMP_RET_KILL_PROCESS); /* i386 or arm32 entry points: another table, unchecked arguments */
  RELOAD_NR();
#ifdef __x86_64__
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1)); /* the x32 table */
  RET(ERRNO(ENOSYS));
#endif
  /* Kernel keyrings are shared with the host's session and user: secrets of the login live there. */
  deny(__NR_keyctl, EPERM);
  deny(__NR_add_key, EPERM);
  deny(__NR_request_key, EPERM);
  /* io_uring opens, connects and creates sockets without the socket() call checked below. */
  deny(__NR_io_uring_setup, ENOSYS);
  deny(__NR_io_uring_enter, ENOSYS);
  deny(__NR_io_uring_register, ENOSYS);
  /* New user namespaces hand out capabilities over fresh kernel attack surface. */
  deny(__NR_unshare, EPERM);
  deny(__NR_setns, EPERM);
  deny(__NR_clone3, ENOSYS); /* its flags are behind a pointer: ENOSYS makes libc fall back to clone */
  /*
   * SysV shared memory and message queues: a detached segment (or a full queue) belongs to no
   * process, so no memory limit or RSS sees it; a plugin held gigabytes that way, in RAM, until
   * the machine ran out and the OOM killer chose someone else (shelfwise). Without an IPC
   * namespace the segments also outlived the plugin. ENOSYS, as a kernel without SysV IPC says.
   */
  deny(__NR_shmget, ENOSYS);
  deny(__NR_shmat, ENOSYS);
  deny(__NR_msgget, ENOSYS);
  deny(__NR_msgsnd, ENOSYS);
  /*
   * Change watches: inotify instances (128) and watches are counted per user, shelfwise's user, across
   * every namespace: a plugin taking them all left shelfwise's own watches of the library and the plugin
   * folder (and every other program of the user) failing with "too many open files" or "System limit for
   * number of file watchers reached" while it ran. ENOSYS, as a kernel without inotify says: watching
   * libraries fall back to polling.
   */
#ifdef __NR_inotify_init
  deny(__NR_inotify_init, ENOSYS);
#endif
  deny(__NR_inotify_init1, ENOSYS);
  deny(__NR_fanotify_init, ENOSYS);
  deny(__NR_bpf, EPERM);
  deny(__NR_perf_event_open, EPERM);
  deny(__NR_userfaultfd, EPERM);
  deny(__NR_mount, EPERM);
  deny(__NR_umount2, EPERM);
  deny(__NR_pivot_root, EPERM);
  deny(__NR_open_by_handle_at, EPERM);
  deny(__NR_init_module, EPERM);
  deny(__NR_finit_module, EPERM);
  deny(__NR_delete_module, EPERM);
  deny(__NR_kexec_load, EPERM);
#ifdef __NR_kexec_file_load
  deny(__NR_kexec_file_load, EPERM);
#endif
#ifdef __NR_fsopen
  deny(__NR_fsopen, EPERM);
  deny(__NR_fsmount, EPERM);
  deny(__NR_move_mount, EPERM);
  deny(__NR_open_tree, EPERM);
#endif

  /*
   * fcntl(F_SETLEASE): a read lease on a file the plugin may only read (a book's audio file) makes
   * every other process's open of it for writing, and its truncate, wait for the lease holder, up
   * to lease-break-time (45 s); a plugin that ignores the SIGIO it gets never lets go first, and
   * takes a new lease as soon as the writer is done. Landlock and the read-only mounts do not see
   * leases, and no plugin needs one.
   */
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_fcntl, 0, 3));
  LOAD(ARG_LO(1));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_SETLEASE, 0, 1));
  RET(ERRNO(EACCES));
  RELOAD_NR();

  /*
   * setsockopt(SOL_SOCKET, SO_SNDBUF / SO_RCVBUF / their FORCE forms) succeeds and does nothing:
   * data queued in a socket is memory of no process, so no memory limit sees it; a plugin that
   * raised every buffer to the machine's maximum (wmem_max, 4 MB here) held 3.7 GB that way in
   * 480 socket pairs. The defaults (~200 KB) bound it by the descriptors a plugin may hold. Success,
   * not an error, so that the clients that ask for a size still work.
   */
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setsockopt, 0, 8));
  LOAD(ARG_LO(1));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOL_SOCKET, 0, 6));
  LOAD(ARG_LO(2));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SO_SNDBUF, 3, 0));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SO_RCVBUF, 2, 0));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SO_SNDBUFFORCE, 1, 0));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SO_RCVBUFFORCE, 0, 1));
  RET(ERRNO(0));
  RELOAD_NR();

  /* clone: no namespace flags. */
  const unsigned ns_flags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4));
  LOAD(ARG_LO(0));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, ns_flags, 0, 1));
  RET(ERRNO(EPERM));
  RET(ALLOW);

  /* socket: allowed families (and, with tcp_only, TCP alone). */
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0));
  RET(ALLOW);
  LOAD(ARG_LO(0));
  /* AF_INET / AF_INET6 */
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 1, 0));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 0, tcp_only ? 9 : 1));
  if (tcp_only) {
    LOAD(ARG_LO(1));
    emit((struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~(unsigned)(SOCK_NONBLOCK | SOCK_CLOEXEC)));
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 1, 0));
    RET(ERRNO(EACCES));
    LOAD(ARG_LO(2));
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 1));
    RET(ALLOW);
    RET(ERRNO(EACCES));
  } else {
    RET(ALLOW);
  }
  /* AF_UNIX (namespace: only its own sockets exist; without one, tcp_only refuses it) */
  if (!tcp_only) {
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1));
    RET(ALLOW);
  }
  /* AF_NETLINK, routing only (libc's getaddrinfo asks it for the interfaces' addresses) */
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 3));
  LOAD(ARG_LO(2));
  emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0 /* NETLINK_ROUTE */, 0, 1));
  RET(ALLOW);
  RET(ERRNO(EACCES));

  struct sock_fprog prog = {.len = filter_len, .filter = filter};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) die("cannot install the syscall filter", NULL);
#endif
}

static uint64_t fs_all(int abi) {
  uint64_t all = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_READ_DIR | FS_REMOVE_DIR | FS_REMOVE_FILE | FS_MAKE_CHAR |
                 FS_MAKE_DIR | FS_MAKE_REG | FS_MAKE_SOCK | FS_MAKE_FIFO | FS_MAKE_BLOCK | FS_MAKE_SYM;
  if (abi >= 2) all |= FS_REFER;
  if (abi >= 3) all |= FS_TRUNCATE;
  if (abi >= 5) all |= FS_IOCTL_DEV;
  return all;
}

static const uint64_t FILE_ONLY = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV;

static void add_path(int ruleset, const char *path, uint64_t access) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return; /* nothing there to grant */
    die("cannot open", path);
  }
  struct stat st;
  if (fstat(fd, &st) < 0) die("cannot stat", path);
  struct path_beneath_attr rule = {.allowed_access = S_ISDIR(st.st_mode) ? access : access & FILE_ONLY, .parent_fd = fd};
  if (syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0) < 0) die("cannot add rule for", path);
  close(fd);
}

static void add_port(int ruleset, const char *text, uint64_t access) {
  char *end;
  unsigned long port = strtoul(text, &end, 10);
  if (*text == '\0' || *end != '\0' || port > 65535) {
    fprintf(stderr, "sandbox-exec: bad port %s\n", text);
    exit(FAIL);
  }
  struct net_port_attr rule = {.allowed_access = access, .port = port};
  if (syscall(__NR_landlock_add_rule, ruleset, LL_RULE_NET_PORT, &rule, 0) < 0) die("cannot add rule for port", text);
}

static void drop_capabilities(void) {
  if (geteuid() != 0) return;
  for (int cap = 0; cap <= 63; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capset, &header, data) < 0) die("cannot drop capabilities", NULL);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

/* Marks every descriptor above 3 close-on-exec (close_range, Linux 5.11+; else one by one). */
static void close_inherited(void) {
#ifdef __NR_close_range
  if (syscall(__NR_close_range, 4U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) == 0) return;
#endif
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (int fd = 4; fd < max; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/*
 * The helpers that stay outside the plugin's sandbox (the reaper, the guard) are
 * neither under its syscall filter nor, without Landlock, in a domain that keeps
 * the plugin from attaching to them: a plugin of the same user and no more
 * capabilities could ptrace one and make it run the system calls its filter
 * refuses (keyrings, io_uring, new namespaces). Not dumpable, only a tracer
 * with CAP_SYS_PTRACE may attach, and the plugin has no capability.
 */
static void untraceable(void) {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) die("cannot make the helper untraceable", NULL);
}

/* ---- --reap: the helper stays as the parent of everything the program starts ---- */

static int grow(pid_t **pids, size_t *cap, size_t n) {
  if (n < *cap) return 1;
  size_t bigger = *cap ? *cap * 2 : 256;
  pid_t *grown = realloc(*pids, bigger * sizeof **pids);
  if (!grown) return 0;
  *pids = grown;
  *cap = bigger;
  return 1;
}

/* Appends the children of `parent`'s main thread (nothing when it is gone meanwhile); returns the new count. */
static size_t append_children(pid_t parent, pid_t **pids, size_t *cap, size_t n) {
  char file[64];
  snprintf(file, sizeof file, "/proc/%d/task/%d/children", (int)parent, (int)parent);
  FILE *f = fopen(file, "re");
  if (!f) return n;
  long pid;
  while (fscanf(f, "%ld", &pid) == 1 && grow(pids, cap, n)) (*pids)[n++] = (pid_t)pid;
  fclose(f);
  return n;
}

/*
 * Every descendant the helper can see now: its children, their children, and
 * so on (a fork bomb is killed whole in one round, not a generation per round;
 * a child of another thread of a process is reached once that process is dead).
 * Without children files (a kernel without CONFIG_PROC_CHILDREN), a scan of
 * /proc for the helper's own children.
 */
static size_t list_children(pid_t **pids, size_t *cap) {
  char self_file[64];
  snprintf(self_file, sizeof self_file, "/proc/self/task/%d/children", (int)getpid());
  if (access(self_file, R_OK) == 0) {
    size_t n = append_children(getpid(), pids, cap, 0);
    for (size_t i = 0; i < n && n < 65536; i++) n = append_children((*pids)[i], pids, cap, n);
    return n;
  }
  size_t n = 0;
  /* Kernels without CONFIG_PROC_CHILDREN: every process's parent, from /proc/PID/stat. */
  DIR *proc = opendir("/proc");
  if (!proc) return 0;
  struct dirent *entry;
  pid_t self = getpid();
  while ((entry = readdir(proc)) != NULL) {
    char *end;
    long pid = strtol(entry->d_name, &end, 10);
    if (*end != 0 || pid <= 0) continue;
    char stat_file[64], line[512];
    snprintf(stat_file, sizeof stat_file, "/proc/%ld/stat", pid);
    FILE *s = fopen(stat_file, "re");
    if (!s) continue;
    size_t got = fread(line, 1, sizeof line - 1, s);
    fclose(s);
    line[got] = 0;
    /* "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'. */
    char *close_paren = strrchr(line, ')');
    long ppid;
    char state;
    if (close_paren && sscanf(close_paren + 1, " %c %ld", &state, &ppid) == 2 && ppid == self && grow(pids, cap, n)) {
      (*pids)[n++] = (pid_t)pid;
    }
  }
  closedir(proc);
  return n;
}

/*
 * Kills every descendant. As the subreaper, the helper inherits each orphan, so
 * killing its children and reaping them, round after round, reaches every
 * generation (a grandchild becomes the helper's child when its parent dies).
 * Returns when no child is left, or after about ten seconds (a process stuck in
 * the kernel must not keep the helper, and shelfwise's wait on it, forever).
 */
static void kill_descendants(void) {
  pid_t *pids = NULL;
  size_t cap = 0;
  struct timespec pause = {.tv_sec = 0, .tv_nsec = 1000000};
  for (int round = 0; round < 10000; round++) {
    size_t n = list_children(&pids, &cap);
    for (size_t i = 0; i < n; i++) kill(pids[i], SIGKILL);
    int reaped = 0;
    pid_t r;
    while ((r = waitpid(-1, NULL, WNOHANG)) > 0) reaped = 1;
    if (r < 0 && errno == ECHILD) break;
    if (!reaped) nanosleep(&pause, NULL);
  }
  free(pids);
}

/* What the helper waits for: a child's end, and a request to stop (from shelfwise, or its death). */
static void reap_signals(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGCHLD);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGHUP);
}

/* The helper after the fork: wait for the program's end or a stop request, kill everything left. */
static int reap(pid_t program, pid_t parent) {
  sigset_t set;
  reap_signals(&set);
  /* None of the plugin's stdio or protocol pipe stays open here: only its own processes hold them. */
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 3);
    if (null_fd > 3) close(null_fd);
  }
  int status = 0, ended = 0;
  /* shelfwise died before the parent-death signal was changed: stop at once. */
  int stop = getppid() != parent;
  while (!stop) {
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    if (sig < 0) continue; /* EINTR */
    if (sig != SIGCHLD) break;
    int st;
    pid_t r;
    /* Orphans that end are reaped here too: no zombies pile up. */
    while ((r = waitpid(-1, &st, WNOHANG)) > 0) {
      if (r == program) {
        status = st;
        ended = 1;
      }
    }
    if (ended) break;
  }
  if (!ended) kill(program, SIGKILL);
  kill_descendants();
  if (!ended) return 128 + SIGKILL;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

/*
 * --reap: forks; the helper returns from here only in the program's process
 * (which goes on to restrict itself and exec). The helper itself stays outside
 * the Landlock domain, so that, with signal scoping, the program cannot kill it.
 */
static void become_reaper(int ruleset) {
  pid_t parent = getppid();
  /* Before the fork: an orphan of the program must find this helper as its reaper from the start. */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) die("cannot become a child subreaper", NULL);
  /* shelfwise's death (setpriv set SIGKILL) becomes a stop request, so the plugin's processes go with it. */
  if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0) die("cannot set the parent-death signal", NULL);
  sigset_t set, old;
  reap_signals(&set);
  if (sigprocmask(SIG_BLOCK, &set, &old) < 0) die("cannot block signals", NULL);
  pid_t program = fork();
  if (program < 0) die("cannot fork", NULL);
  if (program > 0) {
    if (ruleset >= 0) close(ruleset);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("cannot set no_new_privs", NULL);
    drop_capabilities();
    untraceable();
    exit(reap(program, parent));
  }
  /* The program: dies with the helper, and gets back the signal mask shelfwise gave. */
  pid_t helper = getppid();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) die("cannot set the parent-death signal", NULL);
  if (getppid() != helper) _exit(FAIL);
  if (sigprocmask(SIG_SETMASK, &old, NULL) < 0) die("cannot restore the signal mask", NULL);
}

/* A count for --nproc / --pids-cgroup: 1 to 1,000,000, else -1. */
static long parse_count(const char *text) {
  char *end = NULL;
  errno = 0;
  long n = strtol(text, &end, 10);
  if (errno || !end || *end || n < 1 || n > 1000000) return -1;
  return n;
}

static void write_file(const char *dir, const char *name, const char *text) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) die("path too long", dir);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die("cannot open", path);
  ssize_t len = (ssize_t)strlen(text);
  if (write(fd, text, (size_t)len) != len) die("cannot write", path);
  close(fd);
}

/* Creates the pids cgroup DIR with pids.max N and moves this process into it. */
static void join_cgroup(const char *dir, const char *count) {
  long max = parse_count(count);
  if (max < 0) {
    fprintf(stderr, "sandbox-exec: --pids-cgroup: bad count %s\n", count);
    exit(FAIL);
  }
  if (mkdir(dir, 0755) < 0 && errno != EEXIST) die("cannot create the cgroup", dir);
  char text[32];
  snprintf(text, sizeof text, "%ld\n", max);
  write_file(dir, "pids.max", text);
  /* "0": this process; every task it starts from now on is charged to the cgroup. */
  write_file(dir, "cgroup.procs", "0\n");
}

static int exists_in(const char *dir, const char *name) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return 0;
  return access(path, F_OK) == 0;
}

/* Best effort: a file the kernel may lack (swap accounting off, an older kernel). */
static void try_write_file(const char *dir, const char *name, const char *text) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return;
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (write(fd, text, strlen(text)) < 0) {
    /* left as the kernel has it */
  }
  close(fd);
}

/* Creates the memory cgroup DIR with its limit at BYTES and moves this process into it. */
static void join_memory_cgroup(const char *dir, const char *bytes_text) {
  char *end = NULL;
  errno = 0;
  long long bytes = strtoll(bytes_text, &end, 10);
  if (errno || !end || *end || bytes < 16LL * 1024 * 1024 || bytes > (1LL << 50)) {
    fprintf(stderr, "sandbox-exec: --memory-cgroup: bad size in bytes %s\n", bytes_text);
    exit(FAIL);
  }
  if (mkdir(dir, 0755) < 0 && errno != EEXIST) die("cannot create the cgroup", dir);
  char text[32];
  snprintf(text, sizeof text, "%lld\n", bytes);
  if (exists_in(dir, "memory.max")) {
    write_file(dir, "memory.max", text);
    /* Swapped-out pages are outside memory.max: none, so the limit is what the plugin holds. */
    try_write_file(dir, "memory.swap.max", "0\n");
    /* One task over the limit takes every task of the plugin with it. */
    try_write_file(dir, "memory.oom.group", "1\n");
  } else {
    write_file(dir, "memory.limit_in_bytes", text);
    /* memory+swap: only where swap is accounted (the file exists); set after the limit it must not be under. */
    if (exists_in(dir, "memory.memsw.limit_in_bytes")) write_file(dir, "memory.memsw.limit_in_bytes", text);
  }
  write_file(dir, "cgroup.procs", "0\n");
}

static int join_memory_only(int argc, char **argv) {
  if (argc < 6 || strcmp(argv[4], "--") != 0) {
    fprintf(stderr, "sandbox-exec: usage: --memory-cgroup DIR BYTES -- PROGRAM [ARG]...\n");
    return FAIL;
  }
  join_memory_cgroup(argv[2], argv[3]);
  execv(argv[5], argv + 5);
  die("cannot run", argv[5]);
  return FAIL;
}

/* --pids-cgroup DIR N -- PROGRAM...: join a fresh pids cgroup, then exec PROGRAM untouched. */
static int join_pids_cgroup(int argc, char **argv) {
  if (argc < 6 || strcmp(argv[4], "--") != 0) {
    fprintf(stderr, "sandbox-exec: usage: --pids-cgroup DIR N -- PROGRAM [ARG]...\n");
    return FAIL;
  }
  join_cgroup(argv[2], argv[3]);
  execv(argv[5], argv + 5);
  die("cannot run", argv[5]);
  return FAIL;
}

/*
 * --guard PARENT [--pids-cgroup DIR N] -- PROGRAM...: the outermost link between
 * shelfwise (pid PARENT, which spawned this helper from its main thread) and a
 * plugin. A parent-death signal set by a process whose parent is already gone
 * never comes, and bubblewrap sets its sandbox's pid 1's only after mounting
 * the sandbox, without looking whether its own monitor process still lives:
 * shelfwise killed in that window (a second Ctrl-C, SIGKILL) left the
 * sandbox's pid 1 and the plugin running, reparented to init. So the guard
 * sets its own death signal, checks that PARENT is still its parent (else
 * starts nothing), becomes a child subreaper (every orphan of the plugin's
 * tree, bubblewrap's pid 1 included, is reparented to it, not to init), forks
 * PROGRAM, and kills every descendant when PROGRAM ends, on SIGTERM
 * (shelfwise stopping the plugin) or when shelfwise dies (the death signal is
 * SIGTERM). It exits with PROGRAM's status (128 + n for a death by signal n).
 */
static int guard(int argc, char **argv) {
  char *end = NULL;
  long parent = argc > 2 ? strtol(argv[2], &end, 10) : 0;
  int i = 3;
  const char *cgroup = NULL, *count = NULL;
  if (i + 2 < argc && strcmp(argv[i], "--pids-cgroup") == 0) {
    cgroup = argv[i + 1];
    count = argv[i + 2];
    i += 3;
  }
  const char *memory = NULL, *bytes = NULL;
  if (i + 2 < argc && strcmp(argv[i], "--memory-cgroup") == 0) {
    memory = argv[i + 1];
    bytes = argv[i + 2];
    i += 3;
  }
  if (!end || *end || parent <= 1 || i + 1 >= argc || strcmp(argv[i], "--") != 0) {
    fprintf(stderr, "sandbox-exec: usage: --guard PARENT_PID [--pids-cgroup DIR N] [--memory-cgroup DIR BYTES] -- PROGRAM [ARG]...\n");
    return FAIL;
  }
  char **program_argv = argv + i + 1;
  if (cgroup) join_cgroup(cgroup, count);
  if (memory) join_memory_cgroup(memory, bytes);
  sigset_t set, old;
  reap_signals(&set);
  if (sigprocmask(SIG_BLOCK, &set, &old) < 0) die("cannot block signals", NULL);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) die("cannot become a child subreaper", NULL);
  if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0) die("cannot set the parent-death signal", NULL);
  /* After the prctl: a parent that died before it is seen here, one that dies after it sends the signal. */
  if (getppid() != (pid_t)parent) return 128 + SIGKILL;
  pid_t self = getpid();
  pid_t program = fork();
  if (program < 0) die("cannot fork", NULL);
  if (program == 0) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != self) _exit(FAIL);
    if (sigprocmask(SIG_SETMASK, &old, NULL) < 0) die("cannot restore the signal mask", NULL);
    execv(program_argv[0], program_argv);
    die("cannot run", program_argv[0]);
  }
  untraceable();
  return reap(program, (pid_t)parent);
}

/*
 * No core dumps for anything this helper starts, soft and hard limit (inherited
 * across every exec and fork; raising a hard limit needs CAP_SYS_RESOURCE in the
 * initial user namespace, which a plugin never has): a plugin that raised its
 * soft limit and crashed would leave its memory, secrets included, in a file in
 * its data folder (or the system's crash store when core_pattern is a pipe),
 * and a crash a call would fill the disk.
 */
static void no_core_dumps(void) {
  struct rlimit none = {.rlim_cur = 0, .rlim_max = 0};
  if (setrlimit(RLIMIT_CORE, &none) < 0) die("cannot forbid core dumps", NULL);
}

/*
 * No real-time scheduling and no priority above shelfwise's, soft and hard limit: where the
 * user may (limits.conf's rtprio for the audio group, as desktops set it for PipeWire), a
 * plugin would otherwise run a SCHED_FIFO loop on every core that starves everything else,
 * shelfwise and the timeout that would kill it included. Without CAP_SYS_NICE, which a plugin
 * never has, RLIMIT_RTPRIO 0 refuses SCHED_FIFO and SCHED_RR (EPERM) and RLIMIT_NICE 0 refuses
 * a nice value below the one it started with.
 */
static void no_realtime(void) {
  struct rlimit none = {.rlim_cur = 0, .rlim_max = 0};
  if (setrlimit(RLIMIT_RTPRIO, &none) < 0 || setrlimit(RLIMIT_NICE, &none) < 0) die("cannot forbid real-time scheduling", NULL);
}

/*
 * The out-of-memory killer takes a plugin before anything else (oom_score_adj 1000, inherited by
 * every process it starts; lowering it needs CAP_SYS_RESOURCE, which a plugin never has): memory
 * a plugin holds outside its processes (socket buffers, its /tmp) is counted against no process,
 * and at 0, as shelfwise, the killer would choose shelfwise, the larger process, over the plugin
 * that filled the machine. shelfwise restarts a killed plugin; nothing restarts shelfwise.
 * Best effort: a kernel without it leaves the plugin as it is.
 */
static void oom_first(void) {
  int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (write(fd, "1000", 4) < 0) {
    /* left at shelfwise's own value */
  }
  close(fd);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--abi") == 0) {
    printf("%d %d 1 1 1 1 1\n", abi_version(), seccomp_supported());
    return 0;
  }
  no_core_dumps();
  no_realtime();
  oom_first();
  if (argc > 1 && strcmp(argv[1], "--pids-cgroup") == 0) return join_pids_cgroup(argc, argv);
  if (argc > 1 && strcmp(argv[1], "--memory-cgroup") == 0) return join_memory_only(argc, argv);
  if (argc > 1 && strcmp(argv[1], "--guard") == 0) return guard(argc, argv);
  long nproc = -1, fsize_mb = -1;
  int landlock = 1, handle_net = 0, scope = 0, syscalls = 0, tcp_only = 0, rules = 0, reaper = 0, command = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      command = i + 1;
      break;
    }
    if (strcmp(argv[i], "--no-landlock") == 0) landlock = 0;
    else if (strcmp(argv[i], "--net") == 0) handle_net = rules = 1;
    else if (strcmp(argv[i], "--scope") == 0) scope = rules = 1;
    else if (strcmp(argv[i], "--syscalls") == 0) syscalls = 1;
    else if (strcmp(argv[i], "--tcp-only") == 0) tcp_only = 1;
    else if (strcmp(argv[i], "--reap") == 0) reaper = 1;
    else if (i + 1 < argc && strcmp(argv[i], "--nproc") == 0) {
      nproc = parse_count(argv[++i]);
      if (nproc < 0) {
        fprintf(stderr, "sandbox-exec: --nproc: bad count %s\n", argv[i]);
        return FAIL;
      }
    }
    else if (i + 1 < argc && strcmp(argv[i], "--fsize") == 0) {
      fsize_mb = parse_count(argv[++i]);
      if (fsize_mb < 0) {
        fprintf(stderr, "sandbox-exec: --fsize: bad size in MB %s\n", argv[i]);
        return FAIL;
      }
    }
    else if (i + 1 < argc && (!strcmp(argv[i], "--ro") || !strcmp(argv[i], "--rw") || !strcmp(argv[i], "--connect") || !strcmp(argv[i], "--bind"))) {
      i++;
      rules = 1;
    } else {
      fprintf(stderr, "sandbox-exec: unknown argument %s\n", argv[i]);
      return FAIL;
    }
  }
  if (command < 0 || command >= argc) {
    fprintf(stderr, "sandbox-exec: no program given (after --)\n");
    return FAIL;
  }
  if (!landlock && rules) {
    fprintf(stderr, "sandbox-exec: --no-landlock with Landlock rules\n");
    return FAIL;
  }
  if (tcp_only && !syscalls) {
    fprintf(stderr, "sandbox-exec: --tcp-only needs --syscalls\n");
    return FAIL;
  }
  if (syscalls && !seccomp_supported()) {
    fprintf(stderr, "sandbox-exec: this kernel offers no seccomp filters\n");
    return FAIL;
  }
  int ruleset = -1;
  if (landlock) {
    int abi = abi_version();
    if (abi < 1) {
      fprintf(stderr, "sandbox-exec: this kernel offers no Landlock\n");
      return FAIL;
    }
    if (handle_net && abi < 4) {
      fprintf(stderr, "sandbox-exec: network rules need Landlock ABI 4, the kernel has %d\n", abi);
      return FAIL;
    }
    if (scope && abi < 6) {
      fprintf(stderr, "sandbox-exec: scoping needs Landlock ABI 6, the kernel has %d\n", abi);
      return FAIL;
    }
    uint64_t all = fs_all(abi);
    uint64_t read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
    struct ruleset_attr attr = {
        .handled_access_fs = all,
        .handled_access_net = handle_net ? (NET_BIND_TCP | NET_CONNECT_TCP) : 0,
        .scoped = scope ? (SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL) : 0,
    };
    /* Older ABIs reject the fields they do not know: pass only the size they read. */
    size_t size = scope ? sizeof attr : handle_net ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
    ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) die("cannot create the Landlock ruleset", NULL);
    for (int i = 1; i < command - 1; i++) {
      if (!strcmp(argv[i], "--ro")) add_path(ruleset, argv[++i], read);
      else if (!strcmp(argv[i], "--rw")) add_path(ruleset, argv[++i], all);
      else if (!strcmp(argv[i], "--connect")) add_port(ruleset, argv[++i], NET_CONNECT_TCP);
      else if (!strcmp(argv[i], "--bind")) add_port(ruleset, argv[++i], NET_BIND_TCP);
    }
  }
  if (reaper) become_reaper(ruleset);
  /* After the fork: the reaping helper itself is not held to it (it starts nothing). */
  if (nproc > 0) {
    struct rlimit limit = {.rlim_cur = (rlim_t)nproc, .rlim_max = (rlim_t)nproc};
    if (setrlimit(RLIMIT_NPROC, &limit) < 0) die("cannot set RLIMIT_NPROC", NULL);
  }
  /*
   * No file the program writes grows past N MB, soft and hard (raising the hard limit needs
   * CAP_SYS_RESOURCE): a plugin filling the disk through its data folder is held to files of that size,
   * and one that writes past it gets SIGXFSZ (Node: killed, which the host names) or EFBIG (Python).
   */
  if (fsize_mb > 0) {
    rlim_t bytes = (rlim_t)fsize_mb * 1024 * 1024;
    struct rlimit limit = {.rlim_cur = bytes, .rlim_max = bytes};
    if (setrlimit(RLIMIT_FSIZE, &limit) < 0) die("cannot set RLIMIT_FSIZE", NULL);
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("cannot set no_new_privs", NULL);
  drop_capabilities();
  if (ruleset >= 0) {
    if (syscall(__NR_landlock_restrict_self, ruleset, 0) < 0) die("cannot enforce the Landlock ruleset", NULL);
    close(ruleset);
  }
  close_inherited();
  /* Last: the filter refuses calls the steps above make (capset is fine, but keep it simple). */
  if (syscalls) install_syscall_filter(tcp_only);
  execv(argv[command], argv + command);
  die("cannot run", argv[command]);
  return FAIL;
}
