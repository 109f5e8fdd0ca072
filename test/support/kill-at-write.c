/*
 * Fault injection for test/pipeline/batch-atomicity.test.ts, loaded with
 * LD_PRELOAD into a shelfwise CLI process: counts the writes (pwrite and
 * pwrite64, what SQLite uses) to the file named by SHELFWISE_KILL_FILE and,
 * when SHELFWISE_KILL_AT is n > 0, sends itself SIGKILL just before the n-th
 * one, so that write never happens: kill -9 at an exact point of the run.
 * With SHELFWISE_KILL_COUNT set, each counted write appends a line to that
 * file (how many writes an unkilled run makes). Unlike strace, it costs the
 * traced process nothing between writes.
 * With SHELFWISE_KILL_RENAME_TO set to a path, it sends itself SIGKILL just
 * before the first rename onto that path (config.json's atomic write), which
 * so never happens (test/cli/scan-crash.test.ts). SHELFWISE_KILL_RENAME_TO_PREFIX: the same before the
 * first rename onto a path that starts with it (a temporary name: test/organize/case-only-rename.test.ts).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long counted = 0;

static int watched(int fd) {
  const char *target = getenv("SHELFWISE_KILL_FILE");
  if (target == NULL) return 0;
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 0) return 0;
  path[n] = '\0';
  return strcmp(path, target) == 0;
}

static void before_write(int fd) {
  if (!watched(fd)) return;
  counted++;
  const char *at = getenv("SHELFWISE_KILL_AT");
  if (at != NULL && atol(at) > 0 && counted == atol(at)) kill(getpid(), SIGKILL);
  const char *log = getenv("SHELFWISE_KILL_COUNT");
  if (log != NULL) {
    int out = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (out >= 0) {
      (void)!write(out, "w\n", 2);
      close(out);
    }
  }
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
  static ssize_t (*real)(int, const void *, size_t, off_t);
  if (real == NULL) real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
  before_write(fd);
  return real(fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  static ssize_t (*real)(int, const void *, size_t, off_t);
  if (real == NULL) real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
  before_write(fd);
  return real(fd, buf, count, offset);
}

static void before_rename(const char *to) {
  const char *target = getenv("SHELFWISE_KILL_RENAME_TO");
  if (target != NULL && to != NULL && strcmp(to, target) == 0) kill(getpid(), SIGKILL);
  const char *prefix = getenv("SHELFWISE_KILL_RENAME_TO_PREFIX");
  if (prefix != NULL && to != NULL && strncmp(to, prefix, strlen(prefix)) == 0) kill(getpid(), SIGKILL);
}

int rename(const char *from, const char *to) {
  static int (*real)(const char *, const char *);
  if (real == NULL) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  before_rename(to);
  return real(from, to);
}
