/*
 * fs-batch: two file-system calls shelfwise's `apply` makes per book, without
 * Node's per-call overhead (a Stats object per stat, an lstat before each
 * rename). A Node-API addon (ABI-stable across Node versions), built by
 * native/build.mjs when Node's headers are present; shelfwise falls back to
 * node:fs when it is not built (src/organize/native-fs.ts).
 *
 *   statMany(paths: string[]): Float64Array  -- per path [size, mtime_sec, mtime_nsec], NaN when stat(2) fails
 *     (a long list is split between this thread and one more: stat(2) waits on the kernel, not on Node)
 *   renameNoReplace(from: string, to: string): number -- 0, or the errno of renameat2(RENAME_NOREPLACE)
 *   statManyAsync(paths: string[]): Promise<Float64Array> -- statMany on one libuv worker thread
 *   renameManyJoined(joined: string, count: number, syncFd?: number): Promise<Int32Array> -- renameNoReplace of
 *     `count` pairs given as one string, each path ended by a NUL (from_0 NUL to_0 NUL from_1 NUL ...: one string to
 *     convert, not two per pair; refused whole when it does not hold exactly 2 * count NULs), in order, on a libuv
 *     worker thread (the caller's thread journals meanwhile); a target's missing parent folders are made (mkdir -p)
 *     when the rename says ENOENT, then the rename is tried once more. With syncFd (>= 0), fdatasync(syncFd) first
 *     on the same thread, and no rename at all when it fails (the promise rejects with the error's errno): the
 *     journal's WAL, so that the intents announcing the renames are on disk before the first one, without a trip
 *     through the caller's event loop between the sync and the renames
 *   renameNoReplace(from, to, rootFrom, rootTo) and renameManyJoined(joined, count, syncFd, roots, rootIndex) -- the
 *     same, with no link followed below the roots (roots: each distinct root once; rootIndex: a Uint32Array holding,
 *     per pair, the indexes of its root_from and root_to): each parent folder is opened from its root with
 *     openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), missing ones made by mkdirat in the folder just opened, and the
 *     rename is renameat2 between those descriptors; a batch opens each folder once and keeps it open for its later
 *     books (a rename and an fstatat per book, as a bare loop's rename and mkdir -p; see root_fd), and opens afresh
 *     what one of its own renames moved away; ELOOP when a link (the book itself included) is on the way, so
 *     a folder swapped for a link after the plan looked is refused in the rename itself
 *   renameBeneath: true -- renameNoReplace takes the roots
 *   accessManyAsync(paths: string[], mode: number): Promise<Int32Array> -- per path 0, or the errno of access(2)
 *     (EINVAL for a path that is not a string or too long), on a libuv worker thread
 *   statListAsync(paths, ends, dirs, dirBook, stamps?): Promise<[Float64Array, Uint8Array]> -- statManyAsync, then in the
 *     same job a listing of each folder in `dirs` (but one whose `stamps` element, "dev:ino:ctime_ns" as the scan
 *     recorded it, still holds: one stat, no listing), answering only its entries that are not exactly a known path of its book
 *     (book b's paths: paths[ends[b - 1] .. ends[b]), and its folders; dirBook: each folder's book, a book's folders
 *     given together, in book order; many books are split between that thread and one more): records of folder index (u32 LE), kind (0 other, 1 file, 2 folder, 3 link; 255: the folder's
 *     path could not be read), name length (u16 LE), name bytes
 *   removeBeneath(root, path, folder), removeTreeBeneath(root, path) -- rmdir/unlink, rm -r, below root with no
 *     link followed; the paths may be Buffers (a name that is not valid UTF-8)
 *   moveFileBeneath(rootFrom, from, rootTo, to): number -- linkat then unlinkat between parent folders opened below
 *     the roots with no link followed: 0, or an errno (paths strings or Buffers)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <node_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/*
 * A path as UTF-8 (what node:fs passes to the kernel), or a Buffer's bytes as they are (a name that is not valid
 * UTF-8 has no string that reaches it); 0 when it is neither, holds a NUL, or is too long.
 */
static int get_path(napi_env env, napi_value value, char *buf) {
  size_t len = 0;
  bool is_buffer = false;
  if (napi_is_buffer(env, value, &is_buffer) == napi_ok && is_buffer) {
    void *bytes = NULL;
    if (napi_get_buffer_info(env, value, &bytes, &len) != napi_ok || len >= PATH_MAX - 1 || (len > 0 && memchr(bytes, '\0', len) != NULL)) return 0;
    if (len > 0) memcpy(buf, bytes, len);
    buf[len] = '\0';
    return 1;
  }
  if (napi_get_value_string_utf8(env, value, buf, PATH_MAX, &len) != napi_ok) return 0;
  /* A path of PATH_MAX - 1 bytes or more may have been cut: let the caller use node:fs. */
  return len < PATH_MAX - 1;
}

struct stat_job {
  char **paths;
  double *fields;
  uint32_t from, to;
};

static void *stat_range(void *arg) {
  struct stat_job *job = arg;
  for (uint32_t i = job->from; i < job->to; i++) {
    struct stat st;
    double *f = job->fields + (size_t)i * 3;
    if (job->paths[i] == NULL || stat(job->paths[i], &st) != 0) {
      f[0] = f[1] = f[2] = NAN;
      continue;
    }
    f[0] = (double)st.st_size;
    f[1] = (double)st.st_mtim.tv_sec;
    f[2] = (double)st.st_mtim.tv_nsec;
  }
  return NULL;
}

/* Below this many paths a second thread costs more than it saves. */
#define THREAD_MIN 512

/* Every path's stat, split between the calling thread and one more when there are many. */
static void run_stats(char **paths, double *fields, uint32_t n) {
  struct stat_job whole = {paths, fields, 0, n};
  pthread_t helper;
  if (n >= THREAD_MIN) {
    struct stat_job second = {paths, fields, n / 2, n};
    whole.to = n / 2;
    if (pthread_create(&helper, NULL, stat_range, &second) == 0) {
      stat_range(&whole);
      pthread_join(helper, NULL);
      return;
    }
    whole.to = n;
  }
  stat_range(&whole);
}

static napi_value stat_many(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    napi_throw_type_error(env, NULL, "statMany(paths)");
    return NULL;
  }
  uint32_t n = 0;
  if (napi_get_array_length(env, argv[0], &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "statMany: paths must be an array");
    return NULL;
  }
  void *data = NULL;
  napi_value buffer, out;
  if (napi_create_arraybuffer(env, (size_t)n * 3 * sizeof(double), &data, &buffer) != napi_ok) return NULL;
  if (napi_create_typedarray(env, napi_float64_array, (size_t)n * 3, buffer, 0, &out) != napi_ok) return NULL;
  /* The strings are read on this thread (N-API calls must be); the stats may run on two. */
  char **paths = calloc(n ? n : 1, sizeof(char *));
  char *scratch = malloc(PATH_MAX);
  if (paths == NULL || scratch == NULL) {
    free(paths);
    free(scratch);
    napi_throw_error(env, NULL, "statMany: out of memory");
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    if (napi_get_element(env, argv[0], i, &item) != napi_ok || !get_path(env, item, scratch)) continue;
    paths[i] = strdup(scratch);
  }
  run_stats(paths, data, n);
  for (uint32_t i = 0; i < n; i++) free(paths[i]);
  free(paths);
  free(scratch);
  return out;
}

/*
 * A root's descriptor, opened once per batch (roots repeat: every book of a run shares one or two), and those of the
 * folders below it that the batch's books leave or arrive in, each opened once per batch (books leave one inbox and
 * arrive in a few hundred author and series folders, in an order that alternates between them: a cache of the last
 * folder alone missed on nearly every book, and each miss cost an openat2 and a close, or more for a folder to make).
 * A folder's descriptor was opened from the root with no link followed, like the per-book opening it replaces; it
 * stays the folder it was when opened, so a folder on the way swapped for a link later in the batch is never
 * followed (the rename lands in the folder opened, or fails: ENOENT once it was removed, then opened again once).
 */
typedef struct {
  char *rel; /* relative to the root; NULL: a free slot */
  int fd;    /* -1: to be opened again (removed since it was opened); -2: not opened, a folder above one that was */
} dir_slot;

/* Slots per root (a power of two) and the most folders kept open at once: past that, all are closed and the cache starts again. */
#define DIR_SLOTS 256
#define DIR_OPEN_MAX 128

typedef struct {
  char *root;
  int fd;
  dir_slot *slots; /* NULL until a folder is opened */
  unsigned used;
} root_fd;

static int move_one_beneath(const char *from, const char *to, root_fd *root_from, root_fd *root_to, const char *rfrom, const char *rto, int want_dir);
static void root_close(root_fd *cache);

static napi_value rename_no_replace(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || argc == 3) {
    napi_throw_type_error(env, NULL, "renameNoReplace(from, to, rootFrom?, rootTo?)");
    return NULL;
  }
  char *from = malloc(PATH_MAX), *to = malloc(PATH_MAX), *rfrom = malloc(PATH_MAX), *rto = malloc(PATH_MAX);
  int result;
  if (from == NULL || to == NULL || rfrom == NULL || rto == NULL) result = ENOMEM;
  else if (!get_path(env, argv[0], from) || !get_path(env, argv[1], to)) result = ENAMETOOLONG;
  else if (argc >= 4) {
    if (!get_path(env, argv[2], rfrom) || !get_path(env, argv[3], rto)) result = ENAMETOOLONG;
    else {
      root_fd a = {NULL, -1, NULL, 0}, b = {NULL, -1, NULL, 0};
      result = move_one_beneath(from, to, &a, &b, rfrom, rto, 0);
      root_close(&a);
      root_close(&b);
    }
  } else result = syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0 ? 0 : errno;
  free(from);
  free(to);
  free(rfrom);
  free(rto);
  napi_value out;
  napi_create_int32(env, result, &out);
  return out;
}

/*
 * Element i of a JS array of strings, copied for a worker thread (N-API calls must stay on the calling thread), in
 * a buffer of its own length (not PATH_MAX: thousands of them would each touch a page of their own). NULL when it
 * is not a string, does not fit PATH_MAX or memory ran out: the batch reports that path as failed.
 */
static char *element_path(napi_env env, napi_value array, uint32_t i) {
  napi_value item;
  size_t len = 0;
  char *buf;
  if (napi_get_element(env, array, i, &item) != napi_ok || napi_get_value_string_utf8(env, item, NULL, 0, &len) != napi_ok ||
      len >= PATH_MAX - 1 || (buf = malloc(len + 1)) == NULL)
    return NULL;
  if (napi_get_value_string_utf8(env, item, buf, len + 1, &len) != napi_ok) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* Queues `execute` on a libuv worker thread and `complete` back on this one; returns 0 when it could not start. */
static int queue_work(napi_env env, const char *label, napi_async_execute_callback execute, napi_async_complete_callback complete,
                      void *data, napi_async_work *work, napi_deferred *deferred, napi_value *promise) {
  napi_value name;
  return napi_create_string_utf8(env, label, NAPI_AUTO_LENGTH, &name) == napi_ok && napi_create_promise(env, deferred, promise) == napi_ok &&
         napi_create_async_work(env, NULL, name, execute, complete, data, work) == napi_ok && napi_queue_async_work(env, *work) == napi_ok;
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  uint32_t n;
  char **paths;
  double *fields;
} stat_batch;

static void free_stat_batch(stat_batch *batch) {
  if (batch->paths) for (uint32_t i = 0; i < batch->n; i++) free(batch->paths[i]);
  free(batch->paths);
  free(batch->fields);
  free(batch);
}

/* One thread: the caller's thread is busy meanwhile (a second one would only take a core from it). */
static void stat_batch_execute(napi_env env, void *data) {
  stat_batch *batch = data;
  struct stat_job whole = {batch->paths, batch->fields, 0, batch->n};
  stat_range(&whole);
}

/*
 * Settles a batch's promise on the calling thread: resolved with a typed
 * array copied from `values` when the batch ran, rejected naming `what` when
 * it did not (cancelled, or no memory for the array).
 */
static void settle_batch(napi_env env, napi_status status, napi_deferred deferred, napi_typedarray_type type, const void *values,
                         size_t count, size_t width, const char *what) {
  napi_value buffer, out, error, message;
  void *bytes;
  if (status == napi_ok && napi_create_arraybuffer(env, count * width, &bytes, &buffer) == napi_ok &&
      napi_create_typedarray(env, type, count, buffer, 0, &out) == napi_ok) {
    memcpy(bytes, values, count * width);
    napi_resolve_deferred(env, deferred, out);
  } else {
    char text[96];
    snprintf(text, sizeof text, "%s: the batch did not run", what);
    napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, deferred, error);
  }
}

static void stat_batch_complete(napi_env env, napi_status status, void *data) {
  stat_batch *batch = data;
  settle_batch(env, status, batch->deferred, napi_float64_array, batch->fields, (size_t)batch->n * 3, sizeof(double), "statManyAsync");
  napi_delete_async_work(env, batch->work);
  free_stat_batch(batch);
}

/* Strings are read on the calling thread (N-API calls must be); the stats run on a libuv worker thread. */
static napi_value stat_many_async(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t n = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_array_length(env, argv[0], &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "statManyAsync(paths: string[])");
    return NULL;
  }
  stat_batch *batch = calloc(1, sizeof(stat_batch));
  if (batch == NULL || (batch->paths = calloc((size_t)n + 1, sizeof(char *))) == NULL ||
      (batch->fields = malloc(((size_t)n * 3 + 1) * sizeof(double))) == NULL) {
    if (batch) free_stat_batch(batch);
    napi_throw_error(env, NULL, "statManyAsync: out of memory");
    return NULL;
  }
  batch->n = n;
  for (uint32_t i = 0; i < n; i++) batch->paths[i] = element_path(env, argv[0], i);
  napi_value promise;
  if (!queue_work(env, "shelfwise:statMany", stat_batch_execute, stat_batch_complete, batch, &batch->work, &batch->deferred, &promise)) {
    free_stat_batch(batch);
    napi_throw_error(env, NULL, "statManyAsync: could not start");
    return NULL;
  }
  return promise;
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  uint32_t n;
  int mode;
  char **paths;
  int32_t *result;
} access_batch;

static void free_access_batch(access_batch *batch) {
  if (batch->paths) for (uint32_t i = 0; i < batch->n; i++) free(batch->paths[i]);
  free(batch->paths);
  free(batch->result);
  free(batch);
}

static void access_batch_execute(napi_env env, void *data) {
  access_batch *batch = data;
  for (uint32_t i = 0; i < batch->n; i++) batch->result[i] = batch->paths[i] == NULL ? EINVAL : access(batch->paths[i], batch->mode) == 0 ? 0 : errno;
}

static void access_batch_complete(napi_env env, napi_status status, void *data) {
  access_batch *batch = data;
  settle_batch(env, status, batch->deferred, napi_int32_array, batch->result, batch->n, sizeof(int32_t), "accessManyAsync");
  napi_delete_async_work(env, batch->work);
  free_access_batch(batch);
}

/* access(2) of many paths (as fs.accessSync asks it) on a libuv worker thread. */
static napi_value access_many_async(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  uint32_t n = 0;
  int32_t mode = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_array_length(env, argv[0], &n) != napi_ok ||
      napi_get_value_int32(env, argv[1], &mode) != napi_ok) {
    napi_throw_type_error(env, NULL, "accessManyAsync(paths: string[], mode: number)");
    return NULL;
  }
  access_batch *batch = calloc(1, sizeof(access_batch));
  if (batch == NULL || (batch->paths = calloc((size_t)n + 1, sizeof(char *))) == NULL || (batch->result = calloc((size_t)n + 1, sizeof(int32_t))) == NULL) {
    if (batch) free_access_batch(batch);
    napi_throw_error(env, NULL, "accessManyAsync: out of memory");
    return NULL;
  }
  batch->n = n;
  batch->mode = mode;
  for (uint32_t i = 0; i < n; i++) batch->paths[i] = element_path(env, argv[0], i);
  napi_value promise;
  if (!queue_work(env, "shelfwise:accessMany", access_batch_execute, access_batch_complete, batch, &batch->work, &batch->deferred, &promise)) {
    free_access_batch(batch);
    napi_throw_error(env, NULL, "accessManyAsync: could not start");
    return NULL;
  }
  return promise;
}

/*
 * statListAsync: statManyAsync, then in the same job (book by book, on one libuv thread and, for many books, one
 * more: see stat_list_execute) one listing of each folder given, answering only the entries that are not one of their book's known
 * paths. The JS decides what those names mean (src/organize/folder-check.ts); this side only leaves out the names that
 * are exactly a known path, which the JS would leave out too: the usual folder book holds nothing else, so nothing
 * comes back for it.
 */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  uint32_t n, books, ndirs;
  char **paths;
  double *fields;
  uint32_t *ends;    /* book b's paths are paths[b ? ends[b - 1] : 0 .. ends[b]) */
  char **dirs;
  uint32_t *dir_book; /* the book of each folder; a book's folders are given one after the other */
  char **stamps;      /* per folder, the scan's stamp of it ("dev:ino:ctime_ns") or NULL: equal now, it is not listed */
  unsigned char *found;
  size_t found_len;
  int failed;        /* out of memory on a worker (set and read atomically): the promise rejects, the caller lists in JS */
} stat_list_batch;

/* A listed entry's kind, as node:fs's Dirent reads it (an unknown d_type asked with lstat, as libuv's scandir callers do). */
#define ENTRY_OTHER 0
#define ENTRY_FILE 1
#define ENTRY_DIR 2
#define ENTRY_LINK 3
/* The folder's path could not be read from JS (too long, not a string): the caller lists that book itself. */
#define ENTRY_UNLISTED 255

static void free_stat_list_batch(stat_list_batch *batch) {
  if (batch->paths) for (uint32_t i = 0; i < batch->n; i++) free(batch->paths[i]);
  if (batch->dirs) for (uint32_t i = 0; i < batch->ndirs; i++) free(batch->dirs[i]);
  if (batch->stamps) for (uint32_t i = 0; i < batch->ndirs; i++) free(batch->stamps[i]);
  free(batch->stamps);
  free(batch->paths);
  free(batch->dirs);
  free(batch->fields);
  free(batch->ends);
  free(batch->dir_book);
  free(batch->found);
  free(batch);
}

/* One share's records (see stat_list_execute): its own buffer, so two threads never write one. */
typedef struct {
  unsigned char *data;
  size_t len, cap;
} found_buf;

/* One record: folder index (u32, little end first), kind (u8), name length (u16), the name's bytes. */
static void found_push(stat_list_batch *batch, found_buf *out, uint32_t dir, unsigned kind, const char *name, size_t len) {
  if (__atomic_load_n(&batch->failed, __ATOMIC_RELAXED)) return;
  if (out->len + 7 + len > out->cap) {
    size_t cap = out->cap ? out->cap * 2 : 4096;
    while (cap < out->len + 7 + len) cap *= 2;
    unsigned char *grown = realloc(out->data, cap);
    if (grown == NULL) {
      __atomic_store_n(&batch->failed, 1, __ATOMIC_RELAXED);
      return;
    }
    out->data = grown;
    out->cap = cap;
  }
  unsigned char *at = out->data + out->len;
  at[0] = dir & 0xff;
  at[1] = (dir >> 8) & 0xff;
  at[2] = (dir >> 16) & 0xff;
  at[3] = (dir >> 24) & 0xff;
  at[4] = (unsigned char)kind;
  at[5] = len & 0xff;
  at[6] = (len >> 8) & 0xff;
  if (len > 0) memcpy(at + 7, name, len);
  out->len += 7 + len;
}

static int compare_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned entry_kind(int dir, const char *name, unsigned char type) {
  switch (type) {
  case DT_REG: return ENTRY_FILE;
  case DT_DIR: return ENTRY_DIR;
  case DT_LNK: return ENTRY_LINK;
  case DT_UNKNOWN: {
    struct stat st;
    if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return ENTRY_OTHER;
    return S_ISREG(st.st_mode) ? ENTRY_FILE : S_ISDIR(st.st_mode) ? ENTRY_DIR : S_ISLNK(st.st_mode) ? ENTRY_LINK : ENTRY_OTHER;
  }
  default: return ENTRY_OTHER;
  }
}

/* As getdents64 fills its buffer (glibc's struct dirent64, declared here so no libc wrapper is needed). */
struct dirent64_record {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* stat_range's answer for one path, asked through `at` (a folder's descriptor: one lookup, not the whole path again). */
static void stat_one_at(double *fields, int at, const char *name) {
  struct stat st;
  if (fstatat(at, name, &st, 0) != 0) {
    fields[0] = fields[1] = fields[2] = NAN;
    return;
  }
  fields[0] = (double)st.st_size;
  fields[1] = (double)st.st_mtim.tv_sec;
  fields[2] = (double)st.st_mtim.tv_nsec;
}

#define LIST_BUFFER 32768

/*
 * Whether folder `path` is as its stamp says (device, inode and ctime to the nanosecond, links followed as open()
 * follows them): no name in it was added, removed or renamed since the scan took the stamp (each changes the
 * folder's ctime, which no call can set back), so its listing would find what the scan found.
 */
static int stamp_holds(const char *path, const char *stamp) {
  struct stat st;
  if (stamp == NULL || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
  char now[96];
  snprintf(now, sizeof now, "%llu:%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
           (unsigned long long)st.st_ctim.tv_sec * 1000000000ULL + (unsigned long long)st.st_ctim.tv_nsec);
  return strcmp(now, stamp) == 0;
}

/*
 * Folders [first, last) of one book whose paths are paths[from .. to), its known paths sorted in `known` (count
 * `k`): each folder read with open + getdents64 (no opendir: its fstat and allocation per folder), then the book's
 * files right in that folder stat'd through the folder's descriptor. `statted[i]`: path i was answered here.
 */
static void list_book(stat_list_batch *batch, found_buf *out, uint32_t first, uint32_t last, uint32_t from, uint32_t to, char **known, size_t k, char *full, char *buffer,
                      unsigned char *statted) {
  qsort(known, k, sizeof(char *), compare_paths);
  for (uint32_t d = first; d < last; d++) {
    const char *path = batch->dirs[d];
    if (path == NULL) {
      found_push(batch, out, d, ENTRY_UNLISTED, "", 0);
      continue;
    }
    /* Unchanged since the scan: one stat instead of a listing (its files are stat'd by path below). */
    if (batch->stamps && stamp_holds(path, batch->stamps[d])) continue;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    /* Not readable: nothing listed, as the JS listing skips it (the fingerprint check says what is wrong). */
    if (fd < 0) continue;
    size_t dlen = strlen(path), mark = out->len;
    for (;;) {
      long got = syscall(SYS_getdents64, fd, buffer, LIST_BUFFER);
      if (got < 0) {
        /* A listing that failed half-way answers nothing, as readdirSync's throw does for the JS. */
        out->len = mark;
        break;
      }
      if (got == 0) break;
      for (long at = 0; at < got;) {
        const struct dirent64_record *entry = (const struct dirent64_record *)(buffer + at);
        at += entry->d_reclen;
        const char *name = entry->d_name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        size_t len = strlen(name);
        if (dlen + 1 + len < PATH_MAX) {
          memcpy(full, path, dlen);
          full[dlen] = '/';
          memcpy(full + dlen + 1, name, len + 1);
          const char *key = full;
          if (k > 0 && bsearch(&key, known, k, sizeof(char *), compare_paths) != NULL) continue;
        }
        found_push(batch, out, d, entry_kind(fd, name, entry->d_type), name, len);
      }
    }
    for (uint32_t i = from; i < to; i++) {
      const char *file = batch->paths[i];
      if (file == NULL || statted[i] || strncmp(file, path, dlen) != 0 || file[dlen] != '/' || file[dlen + 1] == '\0' || strchr(file + dlen + 1, '/') != NULL) continue;
      stat_one_at(batch->fields + (size_t)i * 3, fd, file + dlen + 1);
      statted[i] = 1;
    }
    close(fd);
  }
}

/* Books a thread of a statList job takes at a time (from a shared counter, so a late second thread still helps). */
#define LIST_CHUNK 64
/* Below this many books one thread does it all: a second one costs more than it saves. */
#define LIST_THREAD_MIN 512

/* What the threads of one statList job share: each takes chunks of LIST_CHUNK books until none is left. */
typedef struct {
  stat_list_batch *batch;
  uint32_t *book_dir; /* book b's folders: dirs[book_dir[b] .. book_dir[b + 1]) */
  found_buf *chunk_found; /* each chunk's records, joined in chunk order at the end: the answer's order is one thread's */
  uint32_t chunks;
  uint32_t next;      /* the next chunk to take (atomic) */
  unsigned char *statted;
} list_share;

/*
 * Each book of the chunks this thread takes: its folders listed (or stat'd, their stamps holding), then its files
 * not stat'd through a listed folder, by path. A book's paths, folders and records are its own, so threads that
 * take different chunks write to different places.
 */
static void *list_chunks(void *data) {
  list_share *share = data;
  stat_list_batch *batch = share->batch;
  char *full = malloc(PATH_MAX), *buffer = malloc(LIST_BUFFER);
  char **known = NULL;
  size_t known_cap = 0;
  if (full == NULL || buffer == NULL) __atomic_store_n(&batch->failed, 1, __ATOMIC_RELAXED);
  for (;;) {
    if (__atomic_load_n(&batch->failed, __ATOMIC_RELAXED)) break;
    uint32_t c = __atomic_fetch_add(&share->next, 1, __ATOMIC_RELAXED);
    if (c >= share->chunks) break;
    uint32_t end = c * LIST_CHUNK + LIST_CHUNK < batch->books ? c * LIST_CHUNK + LIST_CHUNK : batch->books;
    for (uint32_t b = c * LIST_CHUNK; b < end; b++) {
      uint32_t first = share->book_dir[b], last = share->book_dir[b + 1];
      uint32_t from = b == 0 ? 0 : batch->ends[b - 1], to = batch->ends[b];
      if (first < last) {
        size_t need = (size_t)(to - from) + (last - first);
        if (need > known_cap) {
          char **grown = realloc(known, need * sizeof(char *));
          if (grown == NULL) {
            __atomic_store_n(&batch->failed, 1, __ATOMIC_RELAXED);
            break;
          }
          known = grown;
          known_cap = need;
        }
        size_t k = 0;
        for (uint32_t i = from; i < to; i++) if (batch->paths[i]) known[k++] = batch->paths[i];
        for (uint32_t d = first; d < last; d++) if (batch->dirs[d]) known[k++] = batch->dirs[d];
        list_book(batch, &share->chunk_found[c], first, last, from, to, known, k, full, buffer, share->statted);
      }
      /* The rest (a loose book, a book not listed, files in folders not readable or below the listed ones) by path. */
      for (uint32_t i = from; i < to; i++) {
        if (share->statted[i]) continue;
        struct stat_job one = {batch->paths, batch->fields, i, i + 1};
        stat_range(&one);
      }
    }
  }
  free(known);
  free(buffer);
  free(full);
  return NULL;
}

/*
 * The job: with many books, on this libuv thread and one more, each taking chunks of books in turn. While the
 * caller's thread is still planning, the second one mostly waits for a core (or shares it); once the caller awaits
 * the answer, both cores finish what is left, rather than one while the caller's waits.
 */
static void stat_list_execute(napi_env env, void *data) {
  stat_list_batch *batch = data;
  list_share share = {batch, NULL, NULL, (batch->books + LIST_CHUNK - 1) / LIST_CHUNK, 0, NULL};
  share.book_dir = malloc(((size_t)batch->books + 1) * sizeof(uint32_t));
  share.chunk_found = calloc((size_t)share.chunks + 1, sizeof(found_buf));
  share.statted = calloc((size_t)batch->n + 1, 1);
  if (share.book_dir == NULL || share.chunk_found == NULL || share.statted == NULL) batch->failed = 1;
  else {
    /* dirBook is in book order (checked by stat_list_async). */
    uint32_t d = 0;
    for (uint32_t b = 0; b < batch->books; b++) {
      while (d < batch->ndirs && batch->dir_book[d] < b) d++;
      share.book_dir[b] = d;
    }
    share.book_dir[batch->books] = batch->ndirs;
    pthread_t helper;
    if (batch->books >= LIST_THREAD_MIN && pthread_create(&helper, NULL, list_chunks, &share) == 0) {
      list_chunks(&share);
      pthread_join(helper, NULL);
    } else list_chunks(&share);
    /* Paths after the last book's (none from shelfwise's own callers), by path. */
    uint32_t tail = batch->books == 0 ? 0 : batch->ends[batch->books - 1];
    if (tail < batch->n) {
      struct stat_job rest = {batch->paths, batch->fields, tail, batch->n};
      stat_range(&rest);
    }
  }
  if (!batch->failed) {
    size_t total = 0;
    for (uint32_t c = 0; c < share.chunks; c++) total += share.chunk_found[c].len;
    if (total > 0 && (batch->found = malloc(total)) == NULL) batch->failed = 1;
    for (uint32_t c = 0; c < share.chunks && batch->found != NULL; c++) {
      if (share.chunk_found[c].len > 0) memcpy(batch->found + batch->found_len, share.chunk_found[c].data, share.chunk_found[c].len);
      batch->found_len += share.chunk_found[c].len;
    }
  }
  if (share.chunk_found) for (uint32_t c = 0; c < share.chunks; c++) free(share.chunk_found[c].data);
  free(share.chunk_found);
  free(share.statted);
  free(share.book_dir);
}

static void stat_list_complete(napi_env env, napi_status status, void *data) {
  stat_list_batch *batch = data;
  napi_value fields_buffer, fields, found_buffer, found, pair, error, message;
  void *bytes;
  if (status == napi_ok && !batch->failed && napi_create_arraybuffer(env, (size_t)batch->n * 3 * sizeof(double), &bytes, &fields_buffer) == napi_ok &&
      napi_create_typedarray(env, napi_float64_array, (size_t)batch->n * 3, fields_buffer, 0, &fields) == napi_ok &&
      (memcpy(bytes, batch->fields, (size_t)batch->n * 3 * sizeof(double)), 1) &&
      napi_create_arraybuffer(env, batch->found_len, &bytes, &found_buffer) == napi_ok &&
      napi_create_typedarray(env, napi_uint8_array, batch->found_len, found_buffer, 0, &found) == napi_ok && napi_create_array_with_length(env, 2, &pair) == napi_ok &&
      napi_set_element(env, pair, 0, fields) == napi_ok && napi_set_element(env, pair, 1, found) == napi_ok) {
    if (batch->found_len > 0) memcpy(bytes, batch->found, batch->found_len);
    napi_resolve_deferred(env, batch->deferred, pair);
  } else {
    napi_create_string_utf8(env, "statListAsync: the batch did not run", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, batch->deferred, error);
  }
  napi_delete_async_work(env, batch->work);
  free_stat_list_batch(batch);
}

/* A Uint32Array argument's elements and length; 0 when it is not one. */
static int get_uint32s(napi_env env, napi_value value, uint32_t **out, size_t *length) {
  napi_typedarray_type type;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, &data, &buffer, &offset) != napi_ok || type != napi_uint32_array) return 0;
  *out = malloc((*length + 1) * sizeof(uint32_t));
  if (*out == NULL) return 0;
  if (*length > 0) memcpy(*out, data, *length * sizeof(uint32_t));
  return 1;
}

/* statListAsync(paths: string[], ends: Uint32Array, dirs: string[], dirBook: Uint32Array, stamps?: (string | null)[]): Promise<[Float64Array, Uint8Array]> */
static napi_value stat_list_async(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_valuetype stamps_type = napi_undefined;
  uint32_t n = 0, ndirs = 0;
  size_t books = 0, dir_books = 0;
  bool is_typed = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4 || napi_get_array_length(env, argv[0], &n) != napi_ok ||
      napi_get_array_length(env, argv[2], &ndirs) != napi_ok || napi_is_typedarray(env, argv[1], &is_typed) != napi_ok || !is_typed ||
      napi_is_typedarray(env, argv[3], &is_typed) != napi_ok || !is_typed) {
    napi_throw_type_error(env, NULL, "statListAsync(paths: string[], ends: Uint32Array, dirs: string[], dirBook: Uint32Array)");
    return NULL;
  }
  stat_list_batch *batch = calloc(1, sizeof(stat_list_batch));
  if (batch == NULL || (batch->paths = calloc((size_t)n + 1, sizeof(char *))) == NULL || (batch->dirs = calloc((size_t)ndirs + 1, sizeof(char *))) == NULL ||
      (batch->fields = malloc(((size_t)n * 3 + 1) * sizeof(double))) == NULL || !get_uint32s(env, argv[1], &batch->ends, &books) ||
      !get_uint32s(env, argv[3], &batch->dir_book, &dir_books)) {
    if (batch) free_stat_list_batch(batch);
    napi_throw_error(env, NULL, "statListAsync: out of memory or a bad argument");
    return NULL;
  }
  batch->n = n;
  batch->ndirs = ndirs;
  batch->books = (uint32_t)books;
  /* Every index checked here, so the worker reads nothing outside the arrays. */
  int valid = dir_books == ndirs;
  for (size_t b = 0; valid && b < books; b++) valid = batch->ends[b] <= n && (b == 0 || batch->ends[b - 1] <= batch->ends[b]);
  /* In book order too: each thread of the job finds a book's folders by its number (stat_list_execute). */
  for (uint32_t d = 0; valid && d < ndirs; d++) valid = batch->dir_book[d] < books && (d == 0 || batch->dir_book[d - 1] <= batch->dir_book[d]);
  if (!valid) {
    free_stat_list_batch(batch);
    napi_throw_range_error(env, NULL, "statListAsync: ends or dirBook out of range, or dirBook not in book order");
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) batch->paths[i] = element_path(env, argv[0], i);
  for (uint32_t i = 0; i < ndirs; i++) batch->dirs[i] = element_path(env, argv[2], i);
  uint32_t nstamps = 0;
  if (argc >= 5 && napi_typeof(env, argv[4], &stamps_type) == napi_ok && stamps_type == napi_object && napi_get_array_length(env, argv[4], &nstamps) == napi_ok &&
      nstamps == ndirs && ndirs > 0 && (batch->stamps = calloc((size_t)ndirs, sizeof(char *))) != NULL)
    /* A stamp that is not a string (null: none recorded) is NULL here: that folder is listed. */
    for (uint32_t i = 0; i < ndirs; i++) batch->stamps[i] = element_path(env, argv[4], i);
  napi_value promise;
  if (!queue_work(env, "shelfwise:statList", stat_list_execute, stat_list_complete, batch, &batch->work, &batch->deferred, &promise)) {
    free_stat_list_batch(batch);
    napi_throw_error(env, NULL, "statListAsync: could not start");
    return NULL;
  }
  return promise;
}

/* mkdir -p: every missing folder of `dir`, mode 0777 (less the umask), as fs.mkdirSync(dir, { recursive: true }). */
static int make_folders(char *dir) {
  if (mkdir(dir, 0777) == 0 || errno == EEXIST) return 0;
  if (errno != ENOENT) return errno;
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int failed = mkdir(dir, 0777) != 0 && errno != EEXIST;
    *p = '/';
    if (failed) return errno;
  }
  return mkdir(dir, 0777) == 0 || errno == EEXIST ? 0 : errno;
}

static int move_one(const char *from, const char *to) {
  if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != ENOENT) return errno;
  char parent[PATH_MAX];
  size_t len = strlen(to);
  while (len > 1 && to[len - 1] != '/') len--;
  if (len <= 1) return ENOENT;
  memcpy(parent, to, len - 1);
  parent[len - 1] = '\0';
  int made = make_folders(parent);
  if (made != 0) return made;
  return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0 ? 0 : errno;
}


static void dir_close(root_fd *cache) {
  if (cache->slots != NULL) {
    for (unsigned i = 0; i < DIR_SLOTS; i++) {
      if (cache->slots[i].rel == NULL) continue;
      if (cache->slots[i].fd >= 0) close(cache->slots[i].fd);
      free(cache->slots[i].rel);
    }
  }
  free(cache->slots);
  cache->slots = NULL;
  cache->used = 0;
}

static int root_open(root_fd *cache, const char *root) {
  if (cache->root != NULL && strcmp(cache->root, root) == 0) return cache->fd;
  dir_close(cache);
  if (cache->root != NULL) close(cache->fd);
  free(cache->root);
  cache->root = NULL;
  /* The root itself may be a link: a library folder linking to a drive is the library. */
  int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && strlen(root) < PATH_MAX) {
    /* An output_path not made yet (the first apply to it): made as mkdir -p would, the folders above it being the user's. */
    char made[PATH_MAX];
    strcpy(made, root);
    int failed = make_folders(made);
    if (failed != 0) {
      errno = failed;
      return -1;
    }
    fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd < 0) return -1;
  if ((cache->root = strdup(root)) == NULL) {
    close(fd);
    errno = ENOMEM;
    return -1;
  }
  cache->fd = fd;
  return fd;
}

static void root_close(root_fd *cache) {
  dir_close(cache);
  if (cache->root != NULL) close(cache->fd);
  free(cache->root);
  cache->root = NULL;
}

static const struct open_how BENEATH = {
  .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
  .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
};

/* openat2 beneath `at`; a way out of it (EXDEV) is a link too, for the caller. */
static int open_below(int at, const char *rel) {
  int fd = syscall(SYS_openat2, at, rel, &BENEATH, sizeof BENEATH);
  if (fd < 0 && errno == EXDEV) errno = ELOOP;
  return fd;
}

/*
 * Folder `rel` below the root `at` (O_PATH), no link followed; with `make`, its missing folders are made on the
 * way, each in the folder just opened (mkdir -p that never follows a link). -1 with errno otherwise.
 */
static int open_folder_beneath(int at, const char *rel, int make) {
  if (*rel == '\0') return dup(at);
  int fd = open_below(at, rel);
  if (fd >= 0 || errno != ENOENT || !make) return fd;
  char name[NAME_MAX + 1];
  int dir = dup(at);
  for (const char *p = rel; dir >= 0 && *p;) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > NAME_MAX) {
      close(dir);
      errno = ENAMETOOLONG;
      return -1;
    }
    memcpy(name, p, len);
    name[len] = '\0';
    int next = mkdirat(dir, name, 0777) == 0 || errno == EEXIST ? open_below(dir, name) : -1;
    int saved = errno;
    close(dir);
    errno = saved;
    dir = next;
    p += len;
    while (*p == '/') p++;
  }
  return dir;
}

/* `path` split at its last '/': the folder relative to `root` (which it must lie strictly below) and the name. */
static int split_below(const char *root, const char *path, char *rel, const char **name) {
  size_t rl = strlen(root);
  while (rl > 1 && root[rl - 1] == '/') rl--;
  if (strncmp(path, root, rl) != 0 || (rl > 1 && path[rl] != '/')) return 0;
  const char *rest = path + rl;
  while (*rest == '/') rest++;
  const char *slash = strrchr(rest, '/');
  *name = slash ? slash + 1 : rest;
  size_t len = slash ? (size_t)(slash - rest) : 0;
  if (**name == '\0' || len >= PATH_MAX) return 0;
  memcpy(rel, rest, len);
  rel[len] = '\0';
  return 1;
}

/*
 * move_one with no link followed below the roots: renameat2 between descriptors of the two parent folders, each
 * opened from its root without following a link. The book itself must not be a link either (renaming one would
 * move only the link, but the plan saw a folder: something changed). ELOOP for a link on the way.
 */
/* The slot of `rel` in the cache, or the free slot where it goes (the table is never full: DIR_OPEN_MAX < DIR_SLOTS). */
static dir_slot *dir_slot_of(root_fd *cache, const char *rel) {
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)rel; *p; p++) h = (h ^ *p) * 16777619u;
  for (uint32_t i = h & (DIR_SLOTS - 1);; i = (i + 1) & (DIR_SLOTS - 1)) {
    dir_slot *slot = &cache->slots[i];
    if (slot->rel == NULL || strcmp(slot->rel, rel) == 0) return slot;
  }
}

/*
 * The folder `rel` below the cache's root, opened as open_folder_beneath does (no link followed; with `make`, missing
 * folders made on the way, each in its parent's descriptor), or as the batch opened it before. A folder to make is
 * made in its parent's cached descriptor (the author folder of a new series folder is usually open already).
 */
static int dir_open(root_fd *cache, const char *rel, int make) {
  if (cache->slots == NULL && (cache->slots = calloc(DIR_SLOTS, sizeof(dir_slot))) == NULL) {
    errno = ENOMEM;
    return -1;
  }
  dir_slot *slot = dir_slot_of(cache, rel);
  if (slot->rel != NULL && slot->fd >= 0) return slot->fd;
  int fd;
  if (*rel == '\0') fd = dup(cache->fd);
  else {
    fd = open_below(cache->fd, rel);
    if (fd < 0 && errno == ENOENT && make) {
      const char *slash = strrchr(rel, '/');
      const char *name = slash ? slash + 1 : rel;
      int parent;
      if (slash == NULL) parent = cache->fd;
      else {
        size_t len = (size_t)(slash - rel);
        char *up = malloc(len + 1);
        if (up == NULL) {
          errno = ENOMEM;
          return -1;
        }
        memcpy(up, rel, len);
        up[len] = '\0';
        /* May close every cached folder to make room: `slot` is looked up again below. */
        parent = dir_open(cache, up, 1);
        free(up);
        if (parent < 0) return -1;
      }
      if (strlen(name) > NAME_MAX) {
        errno = ENAMETOOLONG;
        return -1;
      }
      fd = mkdirat(parent, name, 0777) == 0 || errno == EEXIST ? open_below(parent, name) : -1;
    }
  }
  if (fd < 0) return -1;
  slot = dir_slot_of(cache, rel);
  if (slot->rel == NULL) {
    /* The folder and every folder above it (dir_moved looks for them): room for all, or the cache starts again. */
    unsigned depth = 1;
    for (const char *p = rel; *p; p++) depth += *p == '/';
    if (cache->used + depth > DIR_OPEN_MAX) {
      dir_close(cache);
      if ((cache->slots = calloc(DIR_SLOTS, sizeof(dir_slot))) == NULL) {
        close(fd);
        errno = ENOMEM;
        return -1;
      }
    }
    for (const char *p = strchr(rel, '/'); p != NULL; p = strchr(p + 1, '/')) {
      char *up = strndup(rel, (size_t)(p - rel));
      dir_slot *above = up == NULL ? NULL : dir_slot_of(cache, up);
      if (above == NULL || above->rel != NULL) {
        free(up);
        if (above == NULL) {
          close(fd);
          dir_close(cache);
          errno = ENOMEM;
          return -1;
        }
        continue;
      }
      above->rel = up;
      above->fd = -2;
      cache->used++;
    }
    slot = dir_slot_of(cache, rel);
    if ((slot->rel = strdup(rel)) == NULL) {
      close(fd);
      dir_close(cache);
      errno = ENOMEM;
      return -1;
    }
    cache->used++;
  }
  slot->fd = fd;
  return fd;
}

/*
 * The folder `moved` (relative to `root`) was just renamed away: a folder the cache holds at or below it is no longer
 * at its path, so the cache starts again (every later book's folders are opened afresh from the root, as they would
 * have been without it). The cache knows each folder it opened and every folder above one (dir_open), so one look-up
 * tells. Rare: only a batch moving a folder that holds another book's old or new place (nested books).
 */
static void dir_moved(root_fd *cache, const char *root, const char *moved) {
  if (cache->slots == NULL || cache->root == NULL) return;
  const char *key = moved;
  char *joined = NULL;
  if (strcmp(cache->root, root) != 0) {
    /* Another root (output_path): the moved folder as seen from this cache's root, if it lies below it. */
    size_t rl = strlen(root), cl = strlen(cache->root);
    while (rl > 1 && root[rl - 1] == '/') rl--;
    while (cl > 1 && cache->root[cl - 1] == '/') cl--;
    size_t ml = strlen(moved);
    if ((joined = malloc(rl + ml + 2)) == NULL) {
      dir_close(cache);
      return;
    }
    memcpy(joined, root, rl);
    joined[rl] = '/';
    memcpy(joined + rl + 1, moved, ml + 1);
    if (strncmp(joined, cache->root, cl) != 0 || joined[cl] != '/') {
      /* Not below this root; should this root lie below the moved folder, nothing opened from it is where it was. */
      if (strncmp(cache->root, joined, rl + 1 + ml) == 0 && (cache->root[rl + 1 + ml] == '/' || cache->root[rl + 1 + ml] == '\0')) root_close(cache);
      free(joined);
      return;
    }
    key = joined + cl + 1;
  }
  if (dir_slot_of(cache, key)->rel != NULL) dir_close(cache);
  free(joined);
}

/* The cached folder `rel` is stale (removed since it was opened): closed, to be opened (or made) again by dir_open. */
static void dir_forget(root_fd *cache, const char *rel) {
  if (cache->slots == NULL) return;
  dir_slot *slot = dir_slot_of(cache, rel);
  if (slot->rel == NULL || slot->fd < 0) return;
  close(slot->fd);
  slot->fd = -1;
}

/*
 * `want_dir`: the batch carries book folders only (execute.ts batches a chunk only when every move is a folder's), so
 * an entry that is no folder any more (replaced by a file after apply's checks) is refused with ENOTDIR: the caller
 * then moves that book one by one, whose look refuses it in words.
 */
static int move_one_beneath(const char *from, const char *to, root_fd *root_from, root_fd *root_to, const char *rfrom, const char *rto, int want_dir) {
  char rel[PATH_MAX];
  const char *from_name, *to_name;
  if (!split_below(rfrom, from, rel, &from_name)) return ELOOP;
  if (root_open(root_from, rfrom) < 0) return errno;
  int src = dir_open(root_from, rel, 0);
  /* Out of descriptors (a low limit, a process holding many): the caches give theirs back, and the folder is opened again. */
  if (src < 0 && (errno == EMFILE || errno == ENFILE)) {
    dir_close(root_from);
    dir_close(root_to);
    src = dir_open(root_from, rel, 0);
  }
  if (src < 0) return errno;
  struct stat st;
  if (fstatat(src, from_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    /* The source's folder, opened for an earlier book, may have been removed and made again since: opened again once. */
    if (errno != ENOENT) return errno;
    dir_forget(root_from, rel);
    if ((src = dir_open(root_from, rel, 0)) < 0 || fstatat(src, from_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno;
  }
  if (S_ISLNK(st.st_mode)) return ELOOP;
  if (want_dir && !S_ISDIR(st.st_mode)) return ENOTDIR;
  if (!split_below(rto, to, rel, &to_name)) return ELOOP;
  if (root_open(root_to, rto) < 0) return errno;
  int dst = dir_open(root_to, rel, 1);
  if (dst < 0 && (errno == EMFILE || errno == ENFILE)) {
    dir_close(root_to);
    dst = dir_open(root_to, rel, 1);
  }
  if (dst < 0) return errno;
  int failed = syscall(SYS_renameat2, src, from_name, dst, to_name, RENAME_NOREPLACE) == 0 ? 0 : errno;
  /* A folder opened for an earlier book and removed since (by someone else): opened, or made, again once. */
  if (failed == ENOENT) {
    dir_forget(root_to, rel);
    failed = (dst = dir_open(root_to, rel, 1)) >= 0 && syscall(SYS_renameat2, src, from_name, dst, to_name, RENAME_NOREPLACE) == 0 ? 0 : errno;
  }
  if (failed == 0) {
    /* `from` as seen from its root: a cached folder at or below it has moved with it. */
    size_t rl = strlen(rfrom);
    while (rl > 1 && rfrom[rl - 1] == '/') rl--;
    const char *moved = from + rl;
    while (*moved == '/') moved++;
    dir_moved(root_from, rfrom, moved);
    dir_moved(root_to, rfrom, moved);
  }
  return failed;
}

/*
 * The folder holding `path`, strictly below `root`, opened from the root with no link followed (made first when
 * `make`), and the entry's name in it (pointing into `path`); -1 with errno set otherwise (ELOOP when `path` is
 * not below `root`). The removals and the loose file's move all start here.
 */
static int parent_beneath(const char *root, const char *path, int make, const char **name) {
  char rel[PATH_MAX];
  if (!split_below(root, path, rel, name)) {
    errno = ELOOP;
    return -1;
  }
  int at = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (at < 0) return -1;
  int dir = open_folder_beneath(at, rel, make);
  int saved = errno;
  close(at);
  errno = saved;
  return dir;
}

/*
 * rmdir (or unlink, with `folder` 0) of `path`, strictly below `root`, acting in a descriptor of its parent folder
 * opened from the root with no link followed: a folder on the way swapped for a link, however late, makes this
 * ELOOP rather than a removal outside the library. The name itself is never followed either (unlinkat acts on
 * the entry). The root itself may be a link (a library folder on another drive), as for the renames.
 */
static int remove_beneath(const char *root, const char *path, int folder) {
  const char *name;
  int dir = parent_beneath(root, path, 0, &name);
  if (dir < 0) return errno;
  int result = unlinkat(dir, name, folder ? AT_REMOVEDIR : 0) == 0 ? 0 : errno;
  close(dir);
  return result;
}

/*
 * A folder entry `name` of `dir`, opened to be read, never through a link (O_NOFOLLOW: ELOOP, or ENOTDIR for a
 * link's name). A folder closed to this user (our copy keeps its source's modes: 0555, even 0000) is opened
 * without reading first (O_PATH), opened up to its owner through that descriptor, then opened to be read.
 */
static int open_dir_nofollow(int dir, const char *name) {
  int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 || errno != EACCES) return fd;
  int at = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (at < 0) return -1;
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", at);
  /* chmod of a /proc/self/fd entry acts on the folder the descriptor holds, not on a name looked up again. */
  fd = chmod(self, 0700) == 0 ? openat(at, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  int saved = errno;
  close(at);
  errno = saved;
  return fd;
}

/* Empties the folder open at `fd` (consumed), every level opened from the one above with no link followed. */
static int empty_tree_at(int fd, int depth) {
  if (depth > 256) {
    close(fd);
    return ELOOP;
  }
  /* Writable, so that its entries can be removed: the folder is ours and about to go. */
  fchmod(fd, 0700);
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    int saved = errno;
    close(fd);
    return saved;
  }
  int failed = 0;
  struct dirent *e;
  for (;;) {
    errno = 0;
    e = readdir(d);
    if (e == NULL) {
      if (errno != 0 && failed == 0) failed = errno;
      break;
    }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (unlinkat(dirfd(d), e->d_name, 0) == 0 || errno == ENOENT) continue;
    if (errno != EISDIR && errno != EPERM) {
      if (failed == 0) failed = errno;
      continue;
    }
    /* A folder (unlink of one is EISDIR, or EPERM on some systems): emptied, then removed. */
    int why = errno;
    int sub = open_dir_nofollow(dirfd(d), e->d_name);
    /* Not a folder after all: the unlink's own EPERM (a sticky folder, an immutable file) is what to say. */
    int result = sub < 0 ? (errno == ENOTDIR && why == EPERM ? EPERM : errno) : empty_tree_at(sub, depth + 1);
    if (result == 0 && unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) != 0 && errno != ENOENT) result = errno;
    if (result != 0 && failed == 0) failed = result;
  }
  closedir(d);
  return failed;
}

/*
 * rm -r of the folder `path`, strictly below `root`: its parent opened from the root with no link followed
 * (openat2), the folder itself and every folder in it opened with O_NOFOLLOW from the one above, each entry
 * removed by unlinkat in its own folder's descriptor. A folder on the way, or the folder itself, or any folder in
 * it swapped for a link, however late, is never followed: nothing outside the library is removed. ENOENT when the
 * folder is not there; ELOOP/ENOTDIR for a link in its place.
 */
static int remove_tree_beneath(const char *root, const char *path) {
  const char *name;
  int dir = parent_beneath(root, path, 0, &name);
  if (dir < 0) return errno;
  int fd = open_dir_nofollow(dir, name);
  int result = fd < 0 ? errno : empty_tree_at(fd, 0);
  if (result == 0 && unlinkat(dir, name, AT_REMOVEDIR) != 0) result = errno;
  close(dir);
  return result;
}

/* Both removals take (root, path): read them, call `removal`, hand back its errno (0: done). */
static napi_value removal_result(napi_env env, napi_value root_value, napi_value path_value, int (*removal)(const char *, const char *, int), int folder) {
  char *root = malloc(PATH_MAX), *path = malloc(PATH_MAX);
  int result;
  if (root == NULL || path == NULL) result = ENOMEM;
  else if (!get_path(env, root_value, root) || !get_path(env, path_value, path)) result = ENAMETOOLONG;
  else result = removal(root, path, folder);
  free(root);
  free(path);
  napi_value out;
  napi_create_int32(env, result, &out);
  return out;
}

static int remove_tree_removal(const char *root, const char *path, int folder) {
  (void)folder;
  return remove_tree_beneath(root, path);
}

static napi_value remove_tree_beneath_call(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "removeTreeBeneath(root, path)");
    return NULL;
  }
  return removal_result(env, argv[0], argv[1], remove_tree_removal, true);
}

static napi_value remove_beneath_call(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  bool folder = true;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_bool(env, argv[2], &folder) != napi_ok) {
    napi_throw_type_error(env, NULL, "removeBeneath(root, path, folder)");
    return NULL;
  }
  return removal_result(env, argv[0], argv[1], remove_beneath, folder);
}

/*
 * A single file moved without replacing an existing name and with no link followed below the roots: both parent
 * folders opened from their roots (openat2, no link followed; the target's made if missing), then linkat between
 * those descriptors and unlinkat of the old name in the same one, so a folder on the way swapped for a link between
 * the caller's look and this call can neither bring a file from outside in nor put the library's file outside. The
 * name itself is linked as it is (linkat without AT_SYMLINK_FOLLOW): a link is moved as a link, never followed.
 * EEXIST when the target exists; ELOOP for a link on the way; the link's errno (EPERM, ENOTSUP, EMLINK, EXDEV) when
 * the file system offers no hard link there, nothing changed; should the unlink fail, the new name is removed again.
 */
static int move_file_beneath(const char *rfrom, const char *from, const char *rto, const char *to) {
  const char *from_name, *to_name;
  int result = 0;
  int src = parent_beneath(rfrom, from, 0, &from_name);
  if (src < 0) return errno;
  int dst = parent_beneath(rto, to, 1, &to_name);
  if (dst < 0) result = errno;
  else if (linkat(src, from_name, dst, to_name, 0) != 0) result = errno;
  else if (unlinkat(src, from_name, 0) != 0) {
    result = errno;
    unlinkat(dst, to_name, 0);
  }
  if (dst >= 0) close(dst);
  close(src);
  return result;
}

static napi_value move_file_beneath_call(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, NULL, "moveFileBeneath(rootFrom, from, rootTo, to)");
    return NULL;
  }
  char *buf = malloc((size_t)PATH_MAX * 4);
  int result;
  if (buf == NULL) result = ENOMEM;
  else if (!get_path(env, argv[0], buf) || !get_path(env, argv[1], buf + PATH_MAX) || !get_path(env, argv[2], buf + 2 * PATH_MAX) ||
           !get_path(env, argv[3], buf + 3 * PATH_MAX))
    result = ENAMETOOLONG;
  else result = move_file_beneath(buf, buf + PATH_MAX, buf + 2 * PATH_MAX, buf + 3 * PATH_MAX);
  free(buf);
  napi_value out;
  napi_create_int32(env, result, &out);
  return out;
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  uint32_t n;
  char *joined;  /* the caller's paths, each ended by its NUL: from_0, to_0, from_1, to_1, ... */
  char **paths;  /* into `joined`, in that order (NULL where a path does not fit PATH_MAX) */
  char **roots;  /* the distinct roots, or NULL: no roots given */
  uint32_t nroots;
  uint32_t *root_index; /* per pair, the indexes of its two roots in `roots` (from, to) */
  int32_t *result;
  int sync_fd;    /* -1: none */
  int sync_errno; /* 0, or why fdatasync(sync_fd) failed (then nothing was renamed) */
} rename_batch;

static void free_batch(rename_batch *batch) {
  if (batch->roots) for (uint32_t i = 0; i < batch->nroots; i++) free(batch->roots[i]);
  free(batch->roots);
  free(batch->root_index);
  free(batch->paths);
  free(batch->joined);
  free(batch->result);
  free(batch);
}

static void rename_batch_execute(napi_env env, void *data) {
  rename_batch *batch = data;
  if (batch->sync_fd >= 0 && fdatasync(batch->sync_fd) != 0) {
    batch->sync_errno = errno;
    return;
  }
  root_fd root_from = {NULL, -1, NULL, 0}, root_to = {NULL, -1, NULL, 0};
  for (uint32_t i = 0; i < batch->n; i++) {
    const char *from = batch->paths[i * 2], *to = batch->paths[i * 2 + 1];
    if (from == NULL || to == NULL) batch->result[i] = ENAMETOOLONG;
    else if (batch->roots == NULL) batch->result[i] = move_one(from, to);
    else {
      const char *rfrom = batch->roots[batch->root_index[i * 2]], *rto = batch->roots[batch->root_index[i * 2 + 1]];
      batch->result[i] = rfrom == NULL || rto == NULL ? ENAMETOOLONG : move_one_beneath(from, to, &root_from, &root_to, rfrom, rto, 1);
    }
  }
  root_close(&root_from);
  root_close(&root_to);
}

static void rename_batch_complete(napi_env env, napi_status status, void *data) {
  rename_batch *batch = data;
  if (status == napi_ok && batch->sync_errno != 0) {
    napi_value error, message, code;
    napi_create_string_utf8(env, "fdatasync failed: nothing was renamed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_create_int32(env, batch->sync_errno, &code);
    napi_set_named_property(env, error, "errno", code);
    napi_reject_deferred(env, batch->deferred, error);
  } else {
    settle_batch(env, status, batch->deferred, napi_int32_array, batch->result, batch->n, sizeof(int32_t), "renameManyJoined");
  }
  napi_delete_async_work(env, batch->work);
  free_batch(batch);
}

/*
 * Splits `batch->joined` (`len` bytes) at its NULs into the 2n paths. 0 when it does not hold exactly 2n of them, each
 * ended: a path holding a NUL of its own would shift every pair after it, so the batch is refused instead.
 */
static int split_joined(rename_batch *batch, size_t len) {
  char *at = batch->joined, *end = batch->joined + len;
  for (uint32_t i = 0; i < batch->n * 2; i++) {
    char *nul = at < end ? memchr(at, '\0', (size_t)(end - at)) : NULL;
    if (nul == NULL) return 0;
    batch->paths[i] = (size_t)(nul - at) < PATH_MAX - 1 ? at : NULL;
    at = nul + 1;
  }
  return at == end;
}

/*
 * renameManyJoined(joined, count, syncFd?, roots?, rootIndex?): the pairs as one string (one conversion from
 * JavaScript rather than four per pair), the roots once each with two indexes per pair.
 */
static napi_value rename_many_joined(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  uint32_t n = 0, nroots = 0;
  int32_t sync_fd = -1;
  napi_valuetype first = napi_undefined, third = napi_undefined, fourth = napi_undefined;
  napi_typedarray_type index_type = napi_int8_array;
  size_t index_length = 0;
  void *index_data = NULL;
  size_t len = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_typeof(env, argv[0], &first) != napi_ok ||
      first != napi_string || napi_get_value_uint32(env, argv[1], &n) != napi_ok || n > UINT32_MAX / 2 - 1 ||
      (argc >= 3 && (napi_typeof(env, argv[2], &third) != napi_ok ||
                     (third != napi_undefined && (third != napi_number || napi_get_value_int32(env, argv[2], &sync_fd) != napi_ok)))) ||
      (argc >= 4 && (napi_typeof(env, argv[3], &fourth) != napi_ok ||
                     (fourth != napi_undefined &&
                      (argc < 5 || napi_get_array_length(env, argv[3], &nroots) != napi_ok ||
                       napi_get_typedarray_info(env, argv[4], &index_type, &index_length, &index_data, NULL, NULL) != napi_ok ||
                       index_type != napi_uint32_array || index_length != (size_t)n * 2)))) ||
      napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "renameManyJoined(joined, count, syncFd?, roots?, rootIndex?): the paths each ended by a NUL, their pair count, a file descriptor or nothing, and the roots with a Uint32Array of two indexes per pair, or nothing");
    return NULL;
  }
  if (fourth != napi_undefined) {
    const uint32_t *index = index_data;
    for (size_t i = 0; i < index_length; i++) {
      if (index[i] >= nroots) {
        napi_throw_range_error(env, NULL, "renameManyJoined: a root index past the roots");
        return NULL;
      }
    }
  }
  rename_batch *batch = calloc(1, sizeof(rename_batch));
  if (batch == NULL || (batch->paths = calloc((size_t)n * 2 + 1, sizeof(char *))) == NULL || (batch->result = calloc((size_t)n + 1, sizeof(int32_t))) == NULL ||
      (batch->joined = malloc(len + 1)) == NULL) {
    if (batch) free_batch(batch);
    napi_throw_error(env, NULL, "renameManyJoined: out of memory");
    return NULL;
  }
  batch->n = n;
  batch->sync_fd = sync_fd < 0 ? -1 : sync_fd;
  size_t copied = 0;
  if (napi_get_value_string_utf8(env, argv[0], batch->joined, len + 1, &copied) != napi_ok || copied != len || !split_joined(batch, len)) {
    free_batch(batch);
    napi_throw_type_error(env, NULL, "renameManyJoined: the joined paths do not hold count pairs, each path ended by a NUL");
    return NULL;
  }
  if (fourth != napi_undefined) {
    batch->nroots = nroots;
    if ((batch->roots = calloc((size_t)nroots + 1, sizeof(char *))) == NULL || (batch->root_index = malloc(index_length * sizeof(uint32_t) + 1)) == NULL) {
      free_batch(batch);
      napi_throw_error(env, NULL, "renameManyJoined: out of memory");
      return NULL;
    }
    /* Copied: the typed array's memory is the caller's, and may change or go once this call returns. */
    memcpy(batch->root_index, index_data, index_length * sizeof(uint32_t));
    for (uint32_t i = 0; i < nroots; i++) batch->roots[i] = element_path(env, argv[3], i);
  }
  napi_value promise;
  if (!queue_work(env, "shelfwise:renameMany", rename_batch_execute, rename_batch_complete, batch, &batch->work, &batch->deferred, &promise)) {
    free_batch(batch);
    napi_throw_error(env, NULL, "renameManyJoined: could not start");
    return NULL;
  }
  return promise;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "statMany", NAPI_AUTO_LENGTH, stat_many, NULL, &fn);
  napi_set_named_property(env, exports, "statMany", fn);
  napi_create_function(env, "renameNoReplace", NAPI_AUTO_LENGTH, rename_no_replace, NULL, &fn);
  napi_set_named_property(env, exports, "renameNoReplace", fn);
  napi_create_function(env, "statManyAsync", NAPI_AUTO_LENGTH, stat_many_async, NULL, &fn);
  napi_set_named_property(env, exports, "statManyAsync", fn);
  napi_create_function(env, "renameManyJoined", NAPI_AUTO_LENGTH, rename_many_joined, NULL, &fn);
  napi_set_named_property(env, exports, "renameManyJoined", fn);
  napi_create_function(env, "accessManyAsync", NAPI_AUTO_LENGTH, access_many_async, NULL, &fn);
  napi_set_named_property(env, exports, "accessManyAsync", fn);
  napi_create_function(env, "statListAsync", NAPI_AUTO_LENGTH, stat_list_async, NULL, &fn);
  napi_set_named_property(env, exports, "statListAsync", fn);
  napi_create_function(env, "removeBeneath", NAPI_AUTO_LENGTH, remove_beneath_call, NULL, &fn);
  napi_set_named_property(env, exports, "removeBeneath", fn);
  napi_create_function(env, "removeTreeBeneath", NAPI_AUTO_LENGTH, remove_tree_beneath_call, NULL, &fn);
  napi_set_named_property(env, exports, "removeTreeBeneath", fn);
  napi_create_function(env, "moveFileBeneath", NAPI_AUTO_LENGTH, move_file_beneath_call, NULL, &fn);
  napi_set_named_property(env, exports, "moveFileBeneath", fn);
  napi_value yes;
  napi_get_boolean(env, 1, &yes);
  napi_set_named_property(env, exports, "renameBeneath", yes);
  return exports;
}
