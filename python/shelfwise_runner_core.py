"""shelfwise python plugin runner: hosts one plugin in this process.

The program is python/shelfwise_runner.py, which runs this file's code as its
own (`__main__`): Python compiles the script it runs at every start, but this
code it takes from its compiled copy (python/__pycache__, written by the
build), and compiling these 1,100 lines was ~20 ms of CPU at every start.

Speaks the protocol of src/plugins/protocol/protocol.ts: newline-delimited JSON, host
messages (init, batch, teardown) on stdin, runner messages (ready, fatal,
result, teardown_done) on file descriptor 3. Everything the plugin prints, on
sys.stdout, sys.stderr, through `logging` or by writing to fd 1/2 from C code,
ends up on stderr, which the host captures into the plugin log; it can never be
mistaken for a protocol message.

The wall is outside this process: shelfwise starts the runner inside
namespaces (bubblewrap) and Landlock (src/plugins/sandbox/), which hold
whatever the plugin does (ctypes, a subprocess). The network guard below only
gives honest plugins a clear message naming the host and the fix; with
declared hosts, shelfwise_egress routes connections through the host's proxy.
The memory limit (RLIMIT_AS) and the host's timeouts (SIGKILL of the process
group) are enforced by the kernel and do hold.

Python 3.8+, standard library only.
"""

import os
import sys

if __name__ != "__main__":
    # Plugin code importing this file (`import shelfwise_runner`, to reach send() or the channels) ran it again as a
    # new module: its start-up below closed and moved the running runner's descriptors, and the call died as "the
    # plugin closed shelfwise's channel", which it had not knowingly done. The running runner is `__main__`
    # (python/shelfwise_runner.py runs this file's code as its own).
    raise ImportError(
        "shelfwise_runner is the program that runs your plugin, not a module to import: "
        "import BasePlugin from shelfwise (or library_manager.plugin_loader), and return your answer from process()"
    )

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 1024 * 1024
MAX_ERROR_CHARS = 2000
MAX_DETAIL_CHARS = 64 * 1024


def _close_inherited():
    """Close descriptors above 3 that came from shelfwise's own parent.

    Python opens everything non-inheritable (PEP 446), so an inheritable
    descriptor here was passed down without close-on-exec (a wrapper script's
    lock file, a service manager's socket): not the plugin's to use.
    """
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd > 3:
            try:
                if os.get_inheritable(fd):
                    os.close(fd)
            except OSError:
                pass


def _claim_stdio():
    """Keep the protocol channels private before any plugin code runs.

    Returns (protocol input file, protocol output fd). fd 3 and stdin are moved
    to private non-inheritable descriptors, so neither a plugin reading stdin nor
    a child process can steal or corrupt protocol traffic; fd 1 becomes a copy of
    stderr so C-level writes to stdout land in the log.
    """
    try:
        out_fd = os.dup(3)
    except OSError:
        sys.stderr.write(
            "shelfwise_runner: file descriptor 3 is not open; this program is "
            "started by shelfwise, not by hand\n"
        )
        os._exit(2)
    os.close(3)
    in_fd = os.dup(0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    # sys.stdout stays its own object on fd 1 (now the log): a plugin that
    # closes it or its buffer closes only that, never stderr or the runner's log.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    sys.stdin = open(os.devnull, "r")
    return open(in_fd, "rb", buffering=1 << 16), out_fd


def _private_log():
    """The runner's own way into the log (tracebacks, the logging handler):
    a private copy of fd 2, so a plugin closing sys.stdout, sys.stderr or even
    fds 1 and 2 cannot make logging raise in every later call."""
    try:
        return open(os.dup(2), "w", encoding="utf-8", errors="backslashreplace", buffering=1)
    except OSError:
        return sys.stderr


_close_inherited()
PROTO_IN, PROTO_OUT = _claim_stdio()
LOG = _private_log()

# The runner's exit status when plugin code closed one of its channels to the host (os.closerange(0, N),
# a daemonizing library closing every descriptor): nothing can be said on the channel, and stderr may be
# gone too, so the status is the message (src/plugins/runner/input-closed.ts, CHANNEL_CLOSED_STATUS).
CHANNEL_CLOSED_STATUS = 87


# The runner's own (os.fstat is the plugin's to replace once it runs).
_os_fstat = os.fstat


def _channel_id(fd):
    try:
        st = _os_fstat(fd)
        return (st.st_dev, st.st_ino)
    except OSError:
        return None


# What the input channel is: a descriptor closed and its number reused by the plugin's next open() is not it.
_INPUT_CHANNEL = _channel_id(PROTO_IN.fileno())

# Imported after the stdio swap: nothing below may print to the protocol.
import errno  # noqa: E402
import importlib.machinery  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
import builtins as _builtins  # noqa: E402
import json.encoder as _json_encoder  # noqa: E402

# ---- the runner's own copies ---------------------------------------------------------
# Taken before any plugin code runs. The plugin shares this interpreter: replacing builtins (len, isinstance,
# str, ValueError...), os.write, os._exit or the json module's functions and encoder reached the runner's own
# messages to shelfwise (a `started` dropped, an answer forged with a line of its own). The builtins the runner
# names are its module's globals from here on, found before the builtins module; its messages are built from
# strings with the C escaper, and host lines read with the C scanner.
for _name in (
    "len", "isinstance", "str", "int", "float", "bool", "bytes", "bytearray", "dict", "list", "tuple", "set",
    "repr", "getattr", "setattr", "hasattr", "callable", "type", "enumerate", "range", "min", "max", "sorted",
    "iter", "next", "any", "all", "id", "object", "ord", "chr", "format", "super", "frozenset", "memoryview",
    "BaseException", "Exception", "ValueError", "TypeError", "OSError", "MemoryError", "RecursionError",
    "StopIteration", "KeyError", "IndexError", "AttributeError", "UnicodeEncodeError", "UnicodeDecodeError",
    "ImportError", "SystemExit", "KeyboardInterrupt", "RuntimeError", "NotImplementedError", "OverflowError",
):
    globals()[_name] = getattr(_builtins, _name)
del _name
_os_write = os.write
_os_exit = os._exit
# JSON string literals, ASCII-escaped, by the C function itself (json.dumps goes through json's globals and classes).
_json_string = _json_encoder.c_encode_basestring_ascii or _json_encoder.py_encode_basestring_ascii
# The C scanner of a decoder of the runner's own (json.loads is the plugin's: the runner even wraps it, below).
_scan_json = json.JSONDecoder().scan_once


def _message_line(*members):
    """One runner message: `members` are (name, JSON text) pairs in order; a pair whose text is None is left out."""
    return "{" + ",".join([_json_string(name) + ":" + text for name, text in members if text is not None]) + "}\n"


def _parse_json(text):
    """One JSON value, the whole of `text` (surrounding whitespace aside): what json.loads did, with the C scanner."""
    text = str.strip(text)
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        raise ValueError("not JSON")
    if end != len(text):
        raise ValueError("extra data after the JSON value")
    return value


def _one_json_value(data):
    """The answer's JSON is one value and nothing more: an encoder the plugin replaced (json.dumps, JSONEncoder)
    could add a line of its own, or a member (`null,"seq":7`) that made it another call's answer."""
    try:
        _parse_json(data)
    except (ValueError, RecursionError):
        return False
    return not data[:1].isspace() and not data[-1:].isspace()

# Not imported here: logging (configured when something first imports it, see _LoggingOnImport), traceback
# (when an error is described) and shelfwise_hosts (at the network guard's first question). A plugin that
# uses none of them started ~15 ms of CPU later with them: every start, in every test and every restart.

# The runner's own folder (python/) holds library_manager and shelfwise; import
# the base class now so a plugin folder placed first on sys.path cannot shadow it.
_HERE = os.path.dirname(os.path.abspath(__file__))
# This code's own file name as its frames carry it (it runs from a compiled copy, as shelfwise_runner.py's code).
_OWN_CODE_FILE = (lambda: None).__code__.co_filename
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
from library_manager.plugin_loader import BasePlugin  # noqa: E402

# The interpreter's module path as the runner found it, before any plugin folder joins sys.path.
_RUNNER_PATH = list(sys.path)


class _LazyHosts(object):
    """shelfwise_hosts (the guard's host rule), loaded at its first use from the runner's own folder by
    path, so a plugin's file of that name, on sys.path by then, is never taken for it."""

    _lock = threading.Lock()
    _module = None

    def __getattr__(self, name):
        with self._lock:
            if _LazyHosts._module is None:
                spec = importlib.util.spec_from_file_location("shelfwise_hosts", os.path.join(_HERE, "shelfwise_hosts.py"))
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                sys.modules.setdefault("shelfwise_hosts", module)
                _LazyHosts._module = module
        return getattr(_LazyHosts._module, name)


shelfwise_hosts = _LazyHosts()

_write_lock = threading.Lock()
# True in a copy of this process made by os.fork() in plugin code.
_forked = False


def _after_fork_in_child():
    """A forked copy of the runner must never speak the protocol: its answer
    would pose as the parent's, and it would read the parent's next batch.
    It loses both channels and ends if it ever returns into the runner."""
    global _forked
    _forked = True
    for fd in (PROTO_OUT, PROTO_IN.fileno()):
        try:
            os.close(fd)
        except OSError:
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
# Freed on MemoryError so the runner has room to report it.
_emergency_reserve = bytearray(1 << 20)


# ---- protocol output ---------------------------------------------------------


def _write_line(line):
    if _forked:
        _os_exit(0)
    data = line.encode("utf-8")
    with _write_lock:
        try:
            while data:
                written = _os_write(PROTO_OUT, data)
                data = data[written:]
        except OSError as exc:
            # EBADF: plugin code closed it. (An answer written to a file the plugin opened under the channel's
            # number is lost; the read of the next message then fails below, with the same status.)
            if exc.errno == errno.EBADF:
                _os_exit(CHANNEL_CLOSED_STATUS)
            # The host closed the channel: it is gone or has given up on us.
            _os_exit(0)


def _json_value(value):
    """JSON of a runner message's value (strings, numbers, lists, dicts), by hand: see _message_line."""
    if isinstance(value, str):
        return _json_string(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value) if value == value and value not in (float("inf"), float("-inf")) else "null"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join([_json_value(item) for item in value]) + "]"
    if isinstance(value, dict):
        return "{" + ",".join([_json_string(str(key)) + ":" + _json_value(item) for key, item in dict.items(value)]) + "}"
    return _json_string(str(value))


def send(message):
    """A runner message, built by hand (_message_line): never through json's functions, the plugin's to replace."""
    _write_line(_message_line(*[(name, _json_value(value)) for name, value in dict.items(message)]))


def _clip(text, limit):
    return text if len(text) <= limit else text[: limit - 15] + "... [truncated]"


# ---- exceptions --------------------------------------------------------------


def _exception_name(exc_type):
    module = getattr(exc_type, "__module__", "builtins")
    name = getattr(exc_type, "__qualname__", exc_type.__name__)
    return name if module in ("builtins", "__main__") else module + "." + name


# What a MemoryError's message adds (set at start): Python says nothing about why memory ran out.
_memory_advice = None


def _error_line(exc):
    """The traceback's last line ("ModuleNotFoundError: No module named 'x'"),
    built directly so multi-line messages and notes cannot displace it. A
    SyntaxError keeps its file and line, which is what its author needs."""
    try:
        message = str(exc)
    except BaseException as why:
        # "<unprintable Bad>" named neither why nor what to fix.
        message = "(its message cannot be printed: %s.__str__ raised %s; fix __str__ or raise an exception with a plain message)" % (
            type(exc).__name__,
            _exception_name(type(why)),
        )
    name = _exception_name(type(exc))
    if isinstance(exc, SystemExit):
        # sys.exit() in a plugin ends nothing (the runner catches it), and its status alone said nothing.
        message = "%s (the plugin called sys.exit() or raised SystemExit: a plugin does not end its process; raise an exception saying what went wrong)" % (
            message if message not in ("", "None") else "no status",
        )
    elif isinstance(exc, KeyboardInterrupt):
        message = "raised by the plugin's code, not by a Ctrl-C (raise an exception saying what went wrong)"
    if isinstance(exc, MemoryError) and _memory_advice and not message:
        message = "out of memory (%s)" % _memory_advice
    elif isinstance(exc, RuntimeError) and message == "can't start new thread" and _memory_advice:
        # Each thread reserves its stack as address space, which the memory limit (RLIMIT_AS) counts.
        message += " (threads take address space: %s)" % _memory_advice
    line = name + ": " + message if message else name
    return _clip(line.replace("\n", " ").strip(), MAX_ERROR_CHARS)


def _own_frame(tb):
    """A frame of shelfwise's Python side (this runner, its library_manager and shelfwise shims) or of the
    import machinery loading the plugin: not a line the plugin's author can open or fix."""
    name = tb.tb_frame.f_code.co_filename
    return name == _OWN_CODE_FILE or name.startswith(_HERE + os.sep) or name.startswith("<frozen importlib")


def _plugin_frames_only(exc):
    """Leaves in exc's traceback (and its causes' and contexts') the plugin's frames only: the runner's
    own (run_book calling process(), the module loader) sent the author to shelfwise's files and took lines
    of the output shown. A traceback of shelfwise's frames only (a fault of the runner's) is kept whole;
    a SyntaxError names the plugin's file and line itself, so it may lose them all."""
    seen = set()
    while exc is not None and id(exc) not in seen and len(seen) < 100:
        seen.add(id(exc))
        entries = []
        tb = exc.__traceback__
        while tb is not None and len(entries) < 10000:
            entries.append(tb)
            tb = tb.tb_next
        kept = [entry for entry in entries if not _own_frame(entry)]
        if len(kept) != len(entries) and (kept or isinstance(exc, SyntaxError)):
            for entry, following in zip(kept, kept[1:] + [None]):
                entry.tb_next = following
            exc.__traceback__ = kept[0] if kept else None
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)


def describe(exc):
    """(error, detail) for an exception; also prints the traceback to the log.

    detail is None once the traceback is in the log: the host writes a detail
    it gets into the log too, and the traceback stood there twice after every
    error. Written here it also stays in order with the plugin's own prints."""
    global _emergency_reserve
    if isinstance(exc, MemoryError):
        _emergency_reserve = None
    try:
        # Drop the plugin frames' locals first: after a memory bomb they hold it (traceback.clear_frames,
        # without importing traceback while memory is short).
        tb = exc.__traceback__
        while tb is not None:
            try:
                tb.tb_frame.clear()
            except RuntimeError:
                pass  # a frame still running (a generator's): it keeps its locals
            tb = tb.tb_next
    except BaseException:
        pass
    error = _error_line(exc)
    try:
        import traceback

        _plugin_frames_only(exc)
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    except BaseException:
        detail = error + "\n"
    logged = False
    try:
        LOG.write(detail)
        LOG.flush()
        logged = True
    except BaseException:
        pass
    if _emergency_reserve is None:
        try:
            _emergency_reserve = bytearray(1 << 20)
        except MemoryError:
            pass
    return error, None if logged else _clip(detail, MAX_DETAIL_CHARS)


def fatal(stage, exc=None, error=None):
    detail = None
    if exc is not None:
        error, detail = describe(exc)
    else:
        _log("shelfwise_runner: %s\n" % error)
    message = {"type": "fatal", "stage": stage, "error": error}
    if detail:
        message["detail"] = detail
    send(message)
    _exit(1)


def _log(text):
    try:
        LOG.write(text)
        LOG.flush()
    except BaseException:
        pass


def _exit(code):
    # os._exit: plugin threads must not keep the process alive after we are done.
    for stream in (sys.stdout, sys.stderr, LOG):
        try:
            stream.flush()
        except BaseException:
            pass
    _os_exit(code)


# ---- resource limits -----------------------------------------------------------


def _lower_hard_limit(kind, value, what):
    """Soft and hard limit `kind` (a resource.RLIMIT_* name) set to `value`, or to the hard limit already lower; the
    hard one too, so the plugin cannot raise it back."""
    try:
        import resource
    except ImportError:  # not on this platform: the host's watches remain
        return
    try:
        rlimit = getattr(resource, kind)
        _soft, hard = resource.getrlimit(rlimit)
        limit = int(value)
        if hard != resource.RLIM_INFINITY and hard < limit:
            limit = hard
        resource.setrlimit(rlimit, (limit, limit))
    except (ValueError, OSError) as exc:
        _log("shelfwise_runner: could not apply %s: %s\n" % (what, exc))


def apply_memory_limit(memory_bytes):
    if memory_bytes and memory_bytes > 0:
        _lower_hard_limit("RLIMIT_AS", memory_bytes, "memory limit")


def apply_file_size_limit(max_bytes):
    """RLIMIT_FSIZE: no file the plugin writes (its data folder, /tmp) grows past max_file_mb; a write
    beyond fails with EFBIG ("File too large"; Python ignores SIGXFSZ). The helper, native/sandbox-exec,
    sets it already where it is built; this covers a machine without it."""
    if max_bytes and max_bytes > 0:
        _lower_hard_limit("RLIMIT_FSIZE", max_bytes, "the file size limit")


def forbid_core_dumps():
    """No core file: a dump holds the plugin's secrets and lands in its data folder (or the
    system's crash store), and one per crash would fill the disk. Hard limit too, so the
    plugin cannot raise it back (the helper, native/sandbox-exec, already does this; this
    covers a machine where it is not built)."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    # No real-time scheduling either (native/sandbox-exec's no_realtime): a SCHED_FIFO loop, where
    # the user's limits allow one, starves the machine, shelfwise and its timeouts included.
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_RTPRIO, (0, 0))
        resource.setrlimit(resource.RLIMIT_NICE, (0, 0))
    except (ImportError, ValueError, OSError, AttributeError):
        pass


# ---- network guard ---------------------------------------------------------------


class _NetworkGuard(object):
    """Refuses connections and name lookups for hosts the manifest does not list."""

    def __init__(self, plugin_id, allowed_hosts):
        self.plugin_id = plugin_id
        self.allowed = set()
        for host in allowed_hosts or []:
            if isinstance(host, str) and host.strip() and self.normalize(host) is not None:
                self.allowed.add(self.normalize(host))
        # Addresses learned by resolving an allowed name: connecting to them is fine.
        self.resolved = set()

    @staticmethod
    def normalize(host):
        return shelfwise_hosts.normalize(host)

    def allows(self, host):
        return shelfwise_hosts.allows(host, self.allowed, self.resolved)

    def check(self, host):
        if host is None or self.allows(host):
            return
        shown = host.decode("ascii", "replace") if isinstance(host, (bytes, bytearray)) else host
        raise PermissionError(
            "network access to '%s' is not allowed for plugin '%s': add it to "
            "permissions.network in manifest.json" % (shown, self.plugin_id)
        )

    def remember(self, addresses):
        for address in addresses:
            self.resolved.add(self.normalize(address))

    def install(self):
        guard = self
        real_getaddrinfo = socket.getaddrinfo
        real_gethostbyname = socket.gethostbyname
        real_gethostbyname_ex = socket.gethostbyname_ex
        real_create_connection = socket.create_connection
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_sendto = socket.socket.sendto
        inet = (socket.AF_INET, getattr(socket, "AF_INET6", socket.AF_INET))

        def _checked(address):
            # The host as checked (its ASCII form), not re-encoded by the socket module's IDNA 2003 codec.
            if isinstance(address, tuple) and address:
                return (shelfwise_hosts.lookup_name(address[0]),) + address[1:]
            return address

        def getaddrinfo(host, *args, **kwargs):
            guard.check(host)
            infos = real_getaddrinfo(shelfwise_hosts.lookup_name(host), *args, **kwargs)
            if host is not None:
                guard.remember(info[4][0] for info in infos if isinstance(info[4], tuple))
            return infos

        def gethostbyname(host):
            guard.check(host)
            address = real_gethostbyname(shelfwise_hosts.lookup_name(host))
            guard.remember([address])
            return address

        def gethostbyname_ex(host):
            guard.check(host)
            result = real_gethostbyname_ex(shelfwise_hosts.lookup_name(host))
            guard.remember(result[2])
            return result

        def create_connection(address, *args, **kwargs):
            guard.check(address[0])
            return real_create_connection(_checked(address), *args, **kwargs)

        def connect(self, address):
            if self.family in inet:
                guard.check(address[0])
                address = _checked(address)
            return real_connect(self, address)

        def connect_ex(self, address):
            if self.family in inet:
                guard.check(address[0])
                address = _checked(address)
            return real_connect_ex(self, address)

        def sendto(self, data, *rest):
            if self.family in inet and rest:
                guard.check(rest[-1][0])
                rest = rest[:-1] + (_checked(rest[-1]),)
            return real_sendto(self, data, *rest)

        socket.getaddrinfo = getaddrinfo
        socket.gethostbyname = gethostbyname
        socket.gethostbyname_ex = gethostbyname_ex
        socket.create_connection = create_connection
        socket.socket.connect = connect
        socket.socket.connect_ex = connect_ex
        socket.socket.sendto = sendto


# ---- loading the plugin ------------------------------------------------------------


def load_module(plugin_id, entry):
    """The entry file as a module of a package whose folder is the entry's folder.

    Both styles authors use then work: absolute imports of sibling files
    (`import helper`, the folder is first on sys.path) and relative ones
    (`from .helper import x`, `from . import helper`), which need a parent
    package. The package is created empty: a plugin folder's own __init__.py
    is not run (Library Manager does not run it either).
    """
    folder = os.path.dirname(os.path.abspath(entry))
    if folder in sys.path:
        sys.path.remove(folder)
    sys.path.insert(0, folder)
    package_name = "shelfwise_plugin_" + re.sub(r"\W", "_", plugin_id or "plugin")
    package = types.ModuleType(package_name)
    package.__path__ = [folder]
    package.__package__ = package_name
    package.__spec__ = importlib.machinery.ModuleSpec(package_name, None, is_package=True)
    package.__spec__.submodule_search_locations = [folder]
    sys.modules[package_name] = package
    stem = os.path.splitext(os.path.basename(entry))[0]
    name = package_name + "." + (re.sub(r"\W", "_", stem) or "entry")
    loader = importlib.machinery.SourceFileLoader(name, entry)
    spec = importlib.util.spec_from_file_location(name, entry, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _defined_here(module):
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    ]


def choose_class(module, class_name, entry):
    """The plugin class: `class_name` when given, else the BasePlugin subclass
    defined in the entry module (not one it imported), else the only class
    defined there with a process() method. Returns (class, None) or (None, error)."""
    file_name = os.path.basename(entry)
    if class_name:
        cls = getattr(module, class_name, None)
        if isinstance(cls, type):
            return cls, None
        found = ", ".join(sorted(c.__name__ for c in _defined_here(module))) or "none"
        return None, "class '%s' (class_name in manifest.json) not found in %s; classes defined there: %s" % (
            class_name,
            file_name,
            found,
        )
    defined = _defined_here(module)
    candidates = [c for c in defined if issubclass(c, BasePlugin) and c is not BasePlugin]
    if not candidates:
        candidates = [c for c in defined if callable(getattr(c, "process", None))]
    if not candidates:
        # Library Manager takes a BasePlugin subclass the entry file imports too (a layer.py that only
        # re-exports the class from a module beside it): one is the plugin, several need class_name.
        candidates = [value for value in vars(module).values()
                      if isinstance(value, type) and issubclass(value, BasePlugin) and value is not BasePlugin]
    # An intermediate base class defined alongside its subclass is not the plugin.
    leaves = [c for c in candidates if not any(o is not c and issubclass(o, c) for o in candidates)]
    if len(leaves) == 1:
        return leaves[0], None
    if not leaves:
        return None, (
            "no plugin class found in %s: define a class that extends BasePlugin "
            "(from library_manager.plugin_loader import BasePlugin) or has a process() method" % file_name
        )
    return None, "several plugin classes in %s (%s): set class_name in manifest.json" % (
        file_name,
        ", ".join(sorted(c.__name__ for c in leaves)),
    )


def start_plugin(init):
    """Load, instantiate and set up the plugin; sends `fatal` and exits on failure."""
    if init.get("protocol") != PROTOCOL_VERSION:
        fatal("load", error="protocol version %r not supported by the python runner (expects %d)"
              % (init.get("protocol"), PROTOCOL_VERSION))
    plugin_id = str(init.get("plugin_id") or "plugin")
    entry = init.get("entry") or ""
    set_call_mark(str(init.get("call_mark") or ""))
    forbid_core_dumps()
    apply_memory_limit(init.get("memory_bytes") or 0)
    global _memory_advice
    if init.get("memory_bytes"):
        _lean_threads()
        _memory_advice = "the plugin's memory limit is %d MB: use less memory, or raise plugin_configs.%s.memory_mb" % (
            int(init["memory_bytes"]) // (1024 * 1024),
            plugin_id,
        )
    apply_file_size_limit(init.get("max_file_bytes") or 0)
    import shelfwise_egress

    # bubblewrap sets PWD inside the wall; the plugin's environment stays exactly what the host gave.
    os.environ.pop("PWD", None)
    shelfwise_egress.install()
    _install_profile_loads()
    _NetworkGuard(plugin_id, init.get("allowed_hosts") or []).install()
    try:
        module = load_module(plugin_id, entry)
    except BaseException as exc:
        fatal("load", exc)
    cls, problem = choose_class(module, init.get("class_name"), entry)
    if cls is None:
        fatal("class", error=problem)
    _warn_default_process(cls)
    try:
        plugin = cls()
        # As Library Manager: the manifest's name, description and version replace the class's own.
        about = dict(init.get("about") or {})
        version_json = about.pop("version_json", None)
        if isinstance(version_json, str):
            # Library Manager's loader keeps the manifest's JSON value: "version": 1.2 is the float 1.2
            # there, and `1.0` the float 1.0 (shelfwise shows the text); Python's json reads the same text.
            try:
                about["version"] = json.loads(version_json)
            except ValueError:
                pass
        for key, value in about.items():
            if key in ("name", "description", "version"):
                try:
                    setattr(plugin, key, value)
                except (AttributeError, TypeError):
                    pass
        setup = getattr(plugin, "setup", None)
        if callable(setup):
            _settle(setup(dict(init.get("config") or {}), dict(init.get("secrets") or {})))
    except BaseException as exc:
        fatal("setup", exc)
    return plugin


def _warn_default_process(cls):
    """A BasePlugin subclass that does not define process() answers nothing for every book, with no error:
    say so in the log (`plugins test` shows it), with the method that was likely meant as it."""
    from library_manager.plugin_loader import BasePlugin

    try:
        if not issubclass(cls, BasePlugin) or getattr(cls, "process", None) is not BasePlugin.process:
            return
        import difflib

        own = [name for klass in cls.__mro__ if klass is not BasePlugin and klass is not object
               for name, value in vars(klass).items() if callable(value) and not name.startswith("__")]
        close = difflib.get_close_matches("process", own, n=1, cutoff=0.7)
        hint = " (is %s() meant as process()?)" % close[0] if close else ""
        _log("shelfwise_runner: warning: class %s does not define process(): BasePlugin's own process() "
             "answers nothing for every book%s\n" % (cls.__name__, hint))
    except BaseException:
        pass


# ---- running books -------------------------------------------------------------------

_local = threading.local()


def _settle(value):
    """Run a coroutine returned by an `async def` method; other values pass through.

    One event loop per thread: with a thread pool (concurrency > 1, plain
    `def process`) each worker has its own.
    """
    if hasattr(value, "__await__"):
        import asyncio

        loop = getattr(_local, "loop", None)
        if loop is None:
            loop = _local.loop = asyncio.new_event_loop()
        return loop.run_until_complete(value)
    return value


def _not_json(value):
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def _result_line(seq, outcome, error=None, detail=None):
    return _message_line(
        ("type", '"result"'),
        ("seq", "%d" % seq),
        ("outcome", _json_string(outcome)),
        ("error", None if error is None else _json_string(error)),
        ("detail", None if detail is None else _json_string(detail)),
    )


# The line written on stderr as a call starts while none runs (src/plugins/runner/call-mark.ts, the same bytes):
# the host quotes in a crash's reason only what the plugin wrote since, not an earlier call's lines. Its token is
# random per process (the init message's call_mark): a plugin printing a mark of its own is just its text.
_call_mark = "\x1e[shelfwise: call starts ]\x1e\n"


def set_call_mark(token):
    global _call_mark
    _call_mark = "\x1e[shelfwise: call starts %s]\x1e\n" % token
_calls_lock = threading.Lock()
_calls_running = 0


def _call_begins():
    global _calls_running
    with _calls_lock:
        first = _calls_running == 0
        _calls_running += 1
    if first:
        # The plugin's buffered prints of an earlier call go before the mark.
        for stream in (sys.stdout, sys.stderr, LOG):
            try:
                stream.flush()
            except BaseException:
                pass
        _log(_call_mark)
        # The host's sign that the call began (src/plugins/protocol/protocol.ts StartedMessage): stderr may be
        # closed or /dev/null by now, the plugin's doing, and a stop during the call then passed for an idle one.
        send({"type": "started"})


def _call_ends():
    global _calls_running
    with _calls_lock:
        _calls_running -= 1


def run_book(plugin, can_process, seq, book):
    """One protocol line for one book."""
    _call_begins()
    try:
        return _run_book(plugin, can_process, seq, book)
    finally:
        _call_ends()


def _run_book(plugin, can_process, seq, book):
    try:
        if can_process is not None and not _settle(can_process(book)):
            return _result_line(seq, "skipped")
        value = plugin.process(book)
        if type(value) is not dict and value is not None:
            value = _settle(value)
    except BaseException as exc:
        # A real Ctrl-C (SIGINT to shelfwise's process group) ends the runner; one the plugin raised is its error.
        if isinstance(exc, KeyboardInterrupt) and _sigint_seen:
            raise
        error, detail = describe(exc)
        return _result_line(seq, "error", error, detail)
    return _encode_ok(seq, value)


_sigint_seen = False


def _on_sigint(signum, frame):
    global _sigint_seen
    _sigint_seen = True
    raise KeyboardInterrupt


def watch_sigint():
    """Python's own SIGINT handler, also noting that the signal came: a KeyboardInterrupt without it was raised
    by the plugin (the process was killed by SIGINT, a reason naming no fix)."""
    import signal

    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _on_sigint)
    except (ValueError, OSError):
        pass


# The fields a result may hold (protocol.ts RESULT_FIELDS); other keys are ignored by the host.
RESULT_FIELDS = frozenset(
    ("title", "author", "narrator", "series", "series_num", "year", "language", "edition", "variant")
)


def _plain_number(value):
    """A number JSON can carry, for numeric types it cannot (Decimal, numpy
    integers); None when `value` is not such a number."""
    import numbers

    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    try:
        import decimal
    except ImportError:
        return None
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    return None


def _type_name(value):
    kind = type(value)
    module = getattr(kind, "__module__", "builtins")
    return kind.__qualname__ if module == "builtins" else module + "." + kind.__qualname__


def _json_ready(value):
    """A result dict JSON can encode, or raises ValueError saying which field cannot be.

    Library Manager reads only the fields it knows, so plugins written for it
    may return extra keys holding anything (a datetime, a response object):
    those are dropped here, as the host would ignore them anyway. A field the
    host reads must be JSON: NaN and infinities mean no value (as in Node),
    Decimal and numpy integers become numbers, anything else is an error.
    """
    ready = {}
    for key, item in value.items():
        if isinstance(item, float) and (item != item or item in (float("inf"), float("-inf"))):
            item = None
        if not isinstance(key, str) or key not in RESULT_FIELDS:
            try:
                json.dumps({key: item}, allow_nan=False)
            except (TypeError, ValueError, RecursionError):
                continue
            ready[key] = item
            continue
        number = _plain_number(item)
        if number is not None:
            item = number
        try:
            json.dumps(item, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            raise ValueError('field "%s" holds a %s, not a string or a number' % (key, _type_name(item)))
        ready[key] = item
    return ready


def _encode_ok(seq, value):
    try:
        return _encode_value(seq, value)
    except MemoryError:
        # Uncaught, it ended the process, and the host could only say the memory ran out somewhere.
        return _result_line(
            seq,
            "error",
            "MemoryError: process() returned a value too large to encode as JSON (%s)"
            % (_memory_advice or "the process is out of memory"),
        )


# Most bytes of JSON a result's data may take: the host's line limit less room for the envelope.
MAX_RESULT_BYTES = MAX_MESSAGE_BYTES - 200
# Containers deeper than this are not walked by _passes_limit (the host refuses them anyway).
_WALK_DEPTH = 100


_END = object()


def _json_key(key):
    """A dict key as the answer's JSON names it (json.dumps writes {5: ..} as {"5": ..}): named "[5]", the largest
    field read as the sixth item of a list."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        return "NaN" if key != key else "Infinity" if key == float("inf") else "-Infinity" if key == float("-inf") else float.__repr__(key)
    return repr(key)


def _too_large_line(seq, value, size=None):
    """The refusal with what the host's reason names (protocol.ts tooLargeError): the size counted (at
    least), and the top-level field that took the most of it; the limit alone named no fix."""
    field = None
    field_size = -1
    total = 0
    try:
        if isinstance(value, (dict, list, tuple)):
            items = dict.items(value) if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                name = _json_key(key) if isinstance(value, dict) else "[%d]" % key
                # Encoded whole already (size given): each field's full count; else only up to the limit.
                part = _lower_bound(item, 8 * MAX_RESULT_BYTES if size is not None else MAX_RESULT_BYTES - total + 1)
                total += part + (len(name) + 3 if isinstance(value, dict) else 1)
                if part > field_size:
                    field, field_size = name, part
                if total > MAX_RESULT_BYTES and size is None:
                    break
    except Exception:
        field = None
    extra = ',"size":%d' % (size if size is not None else total)
    if field is not None:
        extra += ',"field":%s,"field_size":%d' % (_json_string(field[:60]), field_size)
    return '{"type":"result","seq":%d,"outcome":"too_large"%s}\n' % (seq, extra)


# Characters encoded at a time when a string's UTF-8 length is counted: a bounded copy each.
_UTF8_SLICE = 64 * 1024


def _utf8_len(text, budget):
    """The UTF-8 length of `text` (a lone surrogate counted as 3 bytes, less than its
    escape: a lower bound), or more than `budget` as soon as it passes that: a string of a million emoji is not
    encoded whole to learn that it is too large. str.isascii is O(1) in CPython."""
    size = str.__len__(text)
    if str.isascii(text) or size > budget:
        return size
    if size <= _UTF8_SLICE:
        return len(str.encode(text, "utf-8", "surrogatepass"))
    count = 0
    for start in range(0, size, _UTF8_SLICE):
        part = str.__getitem__(text, slice(start, start + _UTF8_SLICE))
        count += len(part.encode("utf-8", "surrogatepass"))
        if count > budget:
            break
    return count


def _passes_limit(value, budget):
    return _lower_bound(value, budget) > budget


def _lower_bound(value, budget):
    """True as soon as a lower bound of value's JSON size passes `budget` bytes.

    Counted before anything is encoded, and stopped at the budget: a 25 MB answer
    is refused after its first large string (or its first megabyte of small
    ones), never encoded whole only to be thrown away. Every value counts one
    byte when its container is entered (with a separator each), and then what it
    holds beyond that: a string its UTF-8 length and quotes (what the line takes:
    see _encode_value), a key the same and a colon. Through the built-in methods,
    so a str, list or dict subclass cannot shrink the count (and the exact size is
    checked after encoding anyway).
    """
    count = 1
    stack = [iter((value,))]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            continue
        if isinstance(item, str):
            count += _utf8_len(item, budget - count) + 1
        elif isinstance(item, float):
            count += 2  # "1.0"
        elif item is None or isinstance(item, bool):
            count += 3  # "null", "true"
        elif isinstance(item, dict) and len(stack) <= _WALK_DEPTH:
            size = dict.__len__(item)
            count += 1 + 2 * size + max(size - 1, 0)
            if count > budget:
                return count
            for key in dict.keys(item):
                count += (_utf8_len(key, budget - count) if isinstance(key, str) else 1) + 2
                if count > budget:
                    return count
            stack.append(iter(dict.values(item)))
        elif isinstance(item, (list, tuple)) and len(stack) <= _WALK_DEPTH:
            kind = list if isinstance(item, list) else tuple
            size = kind.__len__(item)
            count += 1 + size + max(size - 1, 0)
            stack.append(kind.__iter__(item))
        if count > budget:
            return count
    return count


def _encode_value(seq, value):
    if _passes_limit(value, MAX_RESULT_BYTES):
        return _too_large_line(seq, value)
    # Not escaped to ASCII: the limit is counted in UTF-8 bytes, as the Node runner and the host count it.
    # Escaped, an answer of accented or CJK text took up to 6 bytes a character and one of emoji 12: a
    # quarter-megabyte answer Node passes was refused, and one of a million emoji built 12 MB first.
    try:
        data = json.dumps(value, allow_nan=False, default=_not_json, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError) as exc:
        try:
            if not isinstance(value, dict):
                raise ValueError(str(exc))
            data = json.dumps(_json_ready(value), allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError) as why:
            return _result_line(
                seq, "error", _clip("process() returned a value that is not JSON: %s" % why, MAX_ERROR_CHARS)
            )
    if str.isascii(data):
        size = len(data)
    else:
        try:
            size = len(data.encode("utf-8"))
        except UnicodeEncodeError:
            data = _escape_surrogates(data)
            size = len(data.encode("utf-8"))
    if size > MAX_RESULT_BYTES:
        return _too_large_line(seq, value, size)
    if not isinstance(data, str) or not _one_json_value(data):
        return _result_line(
            seq,
            "error",
            "process() returned a value the json module turned into something that is not one JSON value: "
            "the plugin changed json.dumps or json's encoder; leave the json module as it is",
        )
    # Built by hand so the (possibly large) value is encoded once.
    return '{"type":"result","seq":%d,"outcome":"ok","data":%s}\n' % (seq, data)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogates(data):
    """A lone surrogate (bytes that are not UTF-8, read with surrogateescape) as its JSON escape.

    json.dumps with ensure_ascii=False leaves it as it is, and it has no UTF-8 form; escaped,
    the host sees it and ignores that value with a warning, as before. In JSON text a
    surrogate can only be inside a string, where its escape means the same.
    """
    return _SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), data)


class ProfileDict(dict):
    """book_data["profile"]: a plain dict, which `json.loads` also accepts.

    Library Manager hands plugins its database row, where the profile is JSON
    text, so its plugins write `json.loads(book_data["profile"])`; shelfwise
    gives the object itself (as to Node plugins). Both must work unchanged.
    """

    __slots__ = ()


def _install_profile_loads():
    real_loads = json.loads

    def loads(s, *args, **kwargs):
        if type(s) is ProfileDict:
            # A fresh copy, decoded with the caller's options, as from text.
            s = json.dumps(s)
        return real_loads(s, *args, **kwargs)

    loads.__doc__ = real_loads.__doc__
    json.loads = loads


def plugin_book(book):
    """The book as the plugin sees it (see ProfileDict).

    Library Manager's book_data is its queue row: `queue_id` is there for code
    that reads it (`book_data["queue_id"]`), None since shelfwise has no queue.
    """
    if isinstance(book, dict):
        book.setdefault("queue_id", None)
        profile = book.get("profile")
        if type(profile) is dict:
            book["profile"] = ProfileDict(profile)
    return book


def run_batch(plugin, books):
    process = getattr(plugin, "process", None)
    can_process = getattr(plugin, "can_process", None)
    if not callable(can_process):
        can_process = None
    for item in books:
        seq = int(item["seq"])
        if not callable(process):
            _write_line(_result_line(seq, "error", "the plugin class has no process() method"))
            continue
        # Sent one by one: the host times each book from the previous result.
        _write_line(run_book(plugin, can_process, seq, plugin_book(item.get("book"))))


def _lean_threads():
    """Threads that fit under the memory limit (RLIMIT_AS counts address space).

    glibc gives each thread an 8 MB stack of address space, and its own 64 MB
    malloc arena unless MALLOC_ARENA_MAX caps them (the host sets 2: see
    python-launcher.ts). Under the default 256 MB limit a plugin could start 5
    threads of its own (a ThreadPoolExecutor of 8 workers failed with "can't
    start new thread"); with 1 MB stacks and two arenas, about 170. So set for
    every plugin with a memory limit, not only for `concurrency` above 1.
    """
    try:
        threading.stack_size(1024 * 1024)
    except (ValueError, RuntimeError):
        pass


class ConcurrentCalls(object):
    """Up to `concurrency` calls in flight; queued calls start in seq order as slots free.

    `async def process` runs on one event loop (in a thread of its own) with N
    worker tasks; a plain `def process` runs in a pool of N threads, so the
    plugin must then be thread-safe (documented in docs/plugins.md).
    """

    def __init__(self, plugin, concurrency):
        import inspect

        self.plugin = plugin
        self.process = getattr(plugin, "process", None)
        can_process = getattr(plugin, "can_process", None)
        self.can_process = can_process if callable(can_process) else None
        self.is_async = inspect.iscoroutinefunction(self.process)
        self.concurrency = concurrency
        if self.is_async:
            import asyncio

            self.loop = asyncio.new_event_loop()
            self.queue = None
            ready = threading.Event()

            def run_loop():
                asyncio.set_event_loop(self.loop)
                self.queue = asyncio.Queue()
                # Held here: the loop keeps only weak references to its tasks, so a worker suspended in a call
                # whose wake-up sits in a reference cycle (a connection's future) was collected by the garbage
                # collector mid-call and closed (the book's answer: "GeneratorExit").
                self.workers = [self.loop.create_task(self._worker()) for _ in range(concurrency)]
                ready.set()
                self.loop.run_forever()

            threading.Thread(target=run_loop, name="shelfwise-loop", daemon=True).start()
            ready.wait()
            self.pending = 0
            self.idle = threading.Condition()
        else:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="shelfwise-call")

    async def _worker(self):
        while True:
            seq, book = await self.queue.get()
            try:
                line = await self._call_async(seq, book)
            except BaseException as exc:  # never lose the answer
                error, detail = describe(exc)
                line = _result_line(seq, "error", error, detail)
            _write_line(line)
            with self.idle:
                self.pending -= 1
                self.idle.notify_all()

    async def _call_async(self, seq, book):
        _call_begins()
        try:
            return await self._call_async_now(seq, book)
        finally:
            _call_ends()

    async def _call_async_now(self, seq, book):
        try:
            if self.can_process is not None:
                wanted = self.can_process(book)
                if hasattr(wanted, "__await__"):
                    wanted = await wanted
                if not wanted:
                    return _result_line(seq, "skipped")
            value = await self.process(book)
        except Exception as exc:
            error, detail = describe(exc)
            return _result_line(seq, "error", error, detail)
        return _encode_ok(seq, value)

    def submit(self, books):
        for item in books:
            seq = int(item["seq"])
            book = plugin_book(item.get("book"))
            if self.is_async:
                with self.idle:
                    self.pending += 1
                self.loop.call_soon_threadsafe(self.queue.put_nowait, (seq, book))
            else:
                self.pool.submit(self._call_sync, seq, book)

    def _call_sync(self, seq, book):
        _write_line(run_book(self.plugin, self.can_process, seq, book))

    def wait_idle(self):
        if self.is_async:
            with self.idle:
                while self.pending > 0:
                    self.idle.wait()
        else:
            self.pool.shutdown(wait=True)


# Threads a plugin left running after its last answer (a threading.Timer, a flush): Python joins them before
# it exits, and the pipeline's process, alive between books, let them finish for every book but the last; at
# teardown os._exit cut them without a word (in the test harness, the only book's). Now they are waited for,
# this long after the teardown message (the host kills at 5 s: the runner's words must reach the log first).
PENDING_WORK_LIMIT_S = 4.0
# Set at the first batch.
_called = False


def _plugin_threads_done(started):
    current = threading.current_thread()
    left = []
    for thread in threading.enumerate():
        # Daemon threads never held a Python program open; shelfwise-* are the runner's own call workers.
        if thread is current or thread is threading.main_thread() or thread.daemon or thread.name.startswith("shelfwise-"):
            continue
        thread.join(max(0.0, started + PENDING_WORK_LIMIT_S - time.monotonic()))
        if thread.is_alive():
            left.append(thread.name)
    if left:
        warning = (
            "still had work pending %.1f s after its last call (threads: %s), stopped unfinished: "
            "join them before process() returns, or in teardown()" % (PENDING_WORK_LIMIT_S, ", ".join(left[:10]))
        )
        _log("shelfwise_runner: the plugin %s\n" % warning)
        # Also in teardown_done: the plugin's health keeps it (`plugins health`), beside its log.
        return [warning]
    return []


def run_teardown(plugin):
    started = time.monotonic()
    message = {"type": "teardown_done"}
    teardown = getattr(plugin, "teardown", None)
    if callable(teardown):
        try:
            _settle(teardown())
        except BaseException as exc:
            message["error"] = describe(exc)[0]
    if _called:
        # A plugin only started and set up (`plugins validate`, a start check) has answered nothing to finish.
        warnings = _plugin_threads_done(started)
        if warnings:
            message["warnings"] = warnings
    send(message)
    _exit(0)


# ---- main loop ------------------------------------------------------------------------


def read_message():
    """Next host message, or None at end of input."""
    while True:
        if _forked:
            _os_exit(0)
        try:
            line = PROTO_IN.readline()
        except (OSError, ValueError):
            # Plugin code closed the descriptor (or the file object) under the runner.
            _os_exit(CHANNEL_CLOSED_STATUS)
        if not line:
            if _channel_id(PROTO_IN.fileno()) != _INPUT_CHANNEL:
                _os_exit(CHANNEL_CLOSED_STATUS)
            return None
        if not line.strip():
            continue
        try:
            message = _parse_json(line.decode("utf-8") if isinstance(line, bytes) else line)
        except ValueError as exc:
            _log("shelfwise_runner: ignored a host line that is not JSON: %s\n" % exc)
            continue
        if isinstance(message, dict):
            return message
        _log("shelfwise_runner: ignored a host message that is not an object\n")


def configure_logging(logging):
    logging.basicConfig(
        stream=LOG,
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )


class _ConfiguringLoader(object):
    """logging's own loader, which configures it once it has run: before the import that asked for it returns."""

    def __init__(self, loader, finder):
        self._loader = loader
        self._finder = finder

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        try:
            sys.meta_path.remove(self._finder)
        except ValueError:
            pass
        configure_logging(module)

    def __getattr__(self, name):
        # get_source, get_filename...: linecache and tracebacks ask the module's loader.
        return getattr(self._loader, name)


class _LoggingOnImport(object):
    """Sends the plugin's `logging` records to the log, as INFO and up, from its first import on, whoever
    imports it (the plugin at its top or in process(), requests, asyncio): importing logging at every start
    to configure it cost each plugin that never logs. The module is the interpreter's own, found on the
    runner's path: a plugin's logging.py does not replace it (as when the runner imported it first)."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, _RUNNER_PATH)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _ConfiguringLoader(spec.loader, self)
        return spec

    def invalidate_caches(self):
        pass


def watch_logging():
    if "logging" in sys.modules:
        configure_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _LoggingOnImport())


def main():
    global _called
    watch_logging()
    watch_sigint()
    plugin = None
    calls = None
    while True:
        message = read_message()
        if message is None:
            _exit(0)
        kind = message.get("type")
        if kind == "init" and plugin is None:
            plugin = start_plugin(message)
            concurrency = message.get("concurrency") or 1
            if isinstance(concurrency, int) and concurrency > 1 and callable(getattr(plugin, "process", None)):
                calls = ConcurrentCalls(plugin, concurrency)
            send({"type": "ready"})
        elif kind == "batch" and plugin is not None:
            _called = True
            if calls is not None:
                calls.submit(message.get("books") or [])
            else:
                run_batch(plugin, message.get("books") or [])
        elif kind == "teardown":
            if plugin is None:
                send({"type": "teardown_done"})
                _exit(0)
            if calls is not None:
                calls.wait_idle()
            run_teardown(plugin)
        else:
            _log("shelfwise_runner: ignored unexpected host message %r\n" % (kind,))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        _exit(130)
