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
 *   renameManyNoReplace(froms: string[], tos: string[], syncFd?: number): Promise<Int32Array> -- the same for many
 *     pairs, in order, on a libuv worker thread (the caller's thread journals meanwhile); a target's missing parent
 *     folders are made (mkdir -p) when the rename says ENOENT, then the rename is tried once more. With syncFd (>= 0),
 *     fdatasync(syncFd) first on the same thread, and no rename at all when it fails (the promise rejects with the
 *     error's errno): the journal's WAL, so that the intents announcing the renames are on disk before the first one,
 *     without a trip through the caller's event loop between the sync and the renames
 *   renameManySyncsFirst: true -- this build takes syncFd
 *   accessManyAsync(paths: string[], mode: number): Promise<Int32Array> -- per path 0, or the errno of access(2)
 *     (EINVAL for a path that is not a string or too long), on a libuv worker thread
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* A path as UTF-8 (what node:fs passes to the kernel); 0 when it is not a string or too long. */
static int get_path(napi_env env, napi_value value, char *buf) {
  size_t len = 0;
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

static napi_value rename_no_replace(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "renameNoReplace(from, to)");
    return NULL;
  }
  char *from = malloc(PATH_MAX), *to = malloc(PATH_MAX);
  int result;
  if (from == NULL || to == NULL) result = ENOMEM;
  else if (!get_path(env, argv[0], from) || !get_path(env, argv[1], to)) result = ENAMETOOLONG;
  else result = syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0 ? 0 : errno;
  free(from);
  free(to);
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

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  uint32_t n;
  char **paths; /* from_0, to_0, from_1, to_1, ... (NULL where a path did not fit) */
  int32_t *result;
  int sync_fd;    /* -1: none */
  int sync_errno; /* 0, or why fdatasync(sync_fd) failed (then nothing was renamed) */
} rename_batch;

static void free_batch(rename_batch *batch) {
  if (batch->paths) for (uint32_t i = 0; i < batch->n * 2; i++) free(batch->paths[i]);
  free(batch->paths);
  free(batch->result);
  free(batch);
}

static void rename_batch_execute(napi_env env, void *data) {
  rename_batch *batch = data;
  if (batch->sync_fd >= 0 && fdatasync(batch->sync_fd) != 0) {
    batch->sync_errno = errno;
    return;
  }
  for (uint32_t i = 0; i < batch->n; i++) {
    const char *from = batch->paths[i * 2], *to = batch->paths[i * 2 + 1];
    batch->result[i] = from == NULL || to == NULL ? ENAMETOOLONG : move_one(from, to);
  }
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
    settle_batch(env, status, batch->deferred, napi_int32_array, batch->result, batch->n, sizeof(int32_t), "renameManyNoReplace");
  }
  napi_delete_async_work(env, batch->work);
  free_batch(batch);
}

static napi_value rename_many_no_replace(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  uint32_t n, n2;
  int32_t sync_fd = -1;
  napi_valuetype third = napi_undefined;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_array_length(env, argv[0], &n) != napi_ok ||
      napi_get_array_length(env, argv[1], &n2) != napi_ok || n != n2 ||
      (argc >= 3 && (napi_typeof(env, argv[2], &third) != napi_ok ||
                     (third != napi_undefined && (third != napi_number || napi_get_value_int32(env, argv[2], &sync_fd) != napi_ok))))) {
    napi_throw_type_error(env, NULL, "renameManyNoReplace(froms, tos, syncFd?): two arrays of the same length, and a file descriptor or nothing");
    return NULL;
  }
  rename_batch *batch = calloc(1, sizeof(rename_batch));
  if (batch == NULL || (batch->paths = calloc((size_t)n * 2 + 1, sizeof(char *))) == NULL || (batch->result = calloc((size_t)n + 1, sizeof(int32_t))) == NULL) {
    if (batch) free_batch(batch);
    napi_throw_error(env, NULL, "renameManyNoReplace: out of memory");
    return NULL;
  }
  batch->n = n;
  batch->sync_fd = sync_fd < 0 ? -1 : sync_fd;
  for (uint32_t i = 0; i < n * 2; i++) batch->paths[i] = element_path(env, argv[i % 2], i / 2);
  napi_value promise;
  if (!queue_work(env, "shelfwise:renameMany", rename_batch_execute, rename_batch_complete, batch, &batch->work, &batch->deferred, &promise)) {
    free_batch(batch);
    napi_throw_error(env, NULL, "renameManyNoReplace: could not start");
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
  napi_create_function(env, "renameManyNoReplace", NAPI_AUTO_LENGTH, rename_many_no_replace, NULL, &fn);
  napi_set_named_property(env, exports, "renameManyNoReplace", fn);
  napi_create_function(env, "accessManyAsync", NAPI_AUTO_LENGTH, access_many_async, NULL, &fn);
  napi_set_named_property(env, exports, "accessManyAsync", fn);
  napi_value yes;
  napi_get_boolean(env, 1, &yes);
  napi_set_named_property(env, exports, "renameManySyncsFirst", yes);
  return exports;
}
