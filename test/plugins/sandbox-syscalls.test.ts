/**
 * What neither the namespaces nor Landlock cover, attacked with raw system
 * calls from real plugin processes: the kernel keyrings (not namespaced: the
 * login session's keys), io_uring, new user namespaces, vsock (no network
 * namespace isolates it: on a VM it reaches the hypervisor's host), IP
 * sockets that are not TCP (Landlock's port rules cover TCP alone: MPTCP and
 * UDP pass them), connecting to a named unix socket (Landlock does not check
 * it), bwrap's /dev, a tmpfs without a size cap, and file leases (a
 * lease on a library file stalls every writer of it). The syscall filter
 * (native/sandbox-exec --syscalls) and a read-only /dev close them.
 */
import { spawnSync } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PluginProcess } from "../../src/plugins/process/supervisor.js";
import type { PluginRuntime } from "../../src/plugins/plugin-types.js";
import { sandboxReport } from "../../src/plugins/sandbox/wall.js";
import { PYTHON_ATTACKER } from "./sandbox-attacks.js";
import { call, layoutPerFile, pluginSpec, REPO_ROOT, SECRET, startPlugin } from "./sandbox-fixture.js";

const PY = String.raw`
import ctypes, os, socket, struct

libc = ctypes.CDLL(None, use_errno=True)
NR = {"keyctl": 250, "io_uring_setup": 425}

def fail(what):
    err = ctypes.get_errno()
    raise OSError(err, "%s: %s" % (what, os.strerror(err)))

def keyring(_):
    # Every key of the session keyring the plugin started with (KEYCTL_GET_KEYRING_ID, KEYCTL_READ).
    ring = libc.syscall(NR["keyctl"], 0, -3, 0)
    if ring < 0:
        fail("keyctl")
    buf = ctypes.create_string_buffer(4096)
    n = libc.syscall(NR["keyctl"], 11, ring, buf, 4096)
    out = []
    for i in range(0, max(n, 0), 4):
        key = struct.unpack("=i", buf.raw[i:i + 4])[0]
        value = ctypes.create_string_buffer(256)
        m = libc.syscall(NR["keyctl"], 11, key, value, 256)
        out.append(value.raw[:max(m, 0)].decode("latin-1"))
    return "keys: " + ",".join(out)

def io_uring(_):
    fd = libc.syscall(NR["io_uring_setup"], 8, ctypes.create_string_buffer(120))
    if fd < 0:
        fail("io_uring_setup")
    return "io_uring fd %d" % fd

def userns(_):
    if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER
        fail("unshare")
    return "new user namespace"

def vsock(_):
    fd = libc.socket(40, 1, 0)  # AF_VSOCK
    if fd < 0:
        fail("socket(AF_VSOCK)")
    return "vsock socket"

def mptcp(port):
    fd = libc.socket(2, 1, 262)  # IPPROTO_MPTCP: Landlock's TCP rules do not see it
    if fd < 0:
        fail("socket(MPTCP)")
    addr = struct.pack("=H", 2) + struct.pack("!H", int(port)) + socket.inet_aton("127.0.0.1") + b"\0" * 8
    if libc.connect(fd, ctypes.c_char_p(addr), len(addr)) != 0:
        fail("connect")
    return "connected (mptcp)"

def udp(port):
    fd = libc.socket(2, 2, 0)
    if fd < 0:
        fail("socket(UDP)")
    addr = struct.pack("=H", 2) + struct.pack("!H", int(port)) + socket.inet_aton("127.0.0.1") + b"\0" * 8
    if libc.sendto(fd, b"exfiltrated", 11, 0, ctypes.c_char_p(addr), len(addr)) < 0:
        fail("sendto")
    return "sent (udp)"

def unix(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b"hello from the plugin")
    s.close()
    return "connected (unix)"

def fill(path):
    with open(path, "wb") as f:
        f.write(b"x" * 65536)
    return "wrote " + path

def sysv_shm(_):
    # A segment left detached belongs to no process: RAM no memory limit or RSS sees.
    libc.shmat.restype = ctypes.c_void_p
    libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    sid = libc.shmget(0, 64 * 1024 * 1024, 0o1000 | 0o600)
    if sid < 0:
        fail("shmget")
    addr = libc.shmat(sid, None, 0)
    if addr in (None, ctypes.c_void_p(-1).value):
        fail("shmat")
    ctypes.memset(addr, 1, 64 * 1024 * 1024)
    libc.shmdt(ctypes.c_void_p(addr))
    return "holds 64 MB in segment %d" % sid

def sysv_msg(_):
    qid = libc.msgget(0, 0o1000 | 0o600)
    if qid < 0:
        fail("msgget")
    return "made queue %d" % qid

def sockbuf(_):
    # Raises both buffers of 400 socket pairs as far as it may, then fills them: kernel memory of no process.
    keep, total = [], 0
    for _ in range(400):
        a, b = socket.socketpair()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 30)
        b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 30)
        a.setblocking(False)
        while True:
            try:
                total += a.send(b"x" * 65536)
            except BlockingIOError:
                break
        keep.append((a, b))
    for a, b in keep:
        a.close()
        b.close()
    return "queued %d MB" % (total >> 20)

HELD = []
def lease(path):
    # A read lease on a file it may only read: every writer's open (a tagger saving the book) then waits for
    # it, up to lease-break-time (45 s), and the SIGIO meant to make it let go is ignored.
    import fcntl, signal
    signal.signal(signal.SIGIO, signal.SIG_IGN)
    f = open(path, "rb")
    fcntl.fcntl(f, 1024, fcntl.F_RDLCK)  # F_SETLEASE
    HELD.append(f)
    return "leased " + path

def inotify(_):
    # Every inotify instance shelfwise's user may have (fs.inotify.max_user_instances, 128): shelfwise's own
    # watches of the library and the plugin folder failed while a plugin held them.
    held = []
    for _ in range(200):
        fd = libc.inotify_init1(0)
        if fd < 0:
            fail("inotify_init1 after %d" % len(held))
        held.append(fd)
    HELD.extend(held)
    return "holds %d inotify instances" % len(held)

ATTACKS = {"inotify": inotify, "lease": lease, "sockbuf": sockbuf, "keyring": keyring, "io_uring": io_uring, "userns": userns, "vsock": vsock, "mptcp": mptcp, "udp": udp, "unix": unix, "fill": fill, "sysv-shm": sysv_shm, "sysv-msg": sysv_msg}

class Attacker:
    def process(self, book):
        try:
            return {"title": "ok:" + ATTACKS[book["current_title"].lower()](book["current_author"])}
        except BaseException as e:
            return {"title": "denied:%s: %s" % (type(e).__name__, e)}
`;

const JS = String.raw`
import fs from "node:fs";
export class Attacker {
  process(book) {
    try {
      fs.writeFileSync(book.current_author, Buffer.alloc(65536));
      return { title: "ok:wrote " + book.current_author };
    } catch (e) {
      return { title: "denied:" + e.message };
    }
  }
}
`;

const file = layoutPerFile();
const running = file.running;

let n = 0;
function attacker(runtime: PluginRuntime, disable: string[]): PluginProcess {
  const files: Record<string, string> = runtime === "python" ? { "layer.py": PY } : { "index.mjs": JS };
  const spec = pluginSpec(file.layout, `syscalls-${runtime}-${++n}`, runtime, files, { class_name: "Attacker", readPaths: [file.layout.library] });
  spec.sandbox = { ...spec.sandbox, disable };
  const plugin = startPlugin(spec);
  running.push(plugin);
  return plugin;
}

describe.each([
  ["the full wall", []],
  ["namespaces alone", ["landlock"]],
  ["Landlock alone", ["namespace"]],
] as const)("a python plugin in %s", (_name, disable) => {
  let plugin: PluginProcess;
  beforeAll(() => {
    plugin = attacker("python", [...disable]);
  });

  it("runs under the syscall filter", () => {
    expect(sandboxReport({ runtime: "python", sandbox: { disable } }).mechanisms).toContain("seccomp");
  });

  it.each(["keyring", "io_uring", "userns", "vsock", "sysv-shm", "sysv-msg"])("cannot use %s", async (attack) => {
    expect(await call(plugin, attack)).toMatch(/^denied:/);
  });

  it("cannot take the inotify instances of shelfwise's user", async () => {
    expect(await call(plugin, "inotify")).toBe("denied:OSError: [Errno 38] inotify_init1 after 0: Function not implemented");
  });

  it("cannot hold memory outside its limit in socket buffers it enlarged", async () => {
    // With the defaults (~200 KB a socket) 400 pairs hold under 200 MB; enlarged to wmem_max, gigabytes.
    const queued = Number(/^ok:queued (\d+) MB$/.exec(await call(plugin, "sockbuf"))?.[1]);
    expect(queued).toBeLessThan(256);
  });

  it("cannot make a writer of a library file wait on a lease it holds", async () => {
    const book = path.join(file.layout.library, "Terry Pratchett", "Mort", "book.nfo");
    expect(await call(plugin, "lease", book)).toMatch(/^denied:PermissionError/);
    const started = Date.now();
    await (await fs.promises.open(book, "r+")).close();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("the syscall filter alone (no namespace, no Landlock)", () => {
  // The helpers between shelfwise and the plugin (the guard, and the reaper: the plugin's parent) are outside
  // its filter, same user, no more capabilities: attached to, they would run the calls the filter refuses.
  it("cannot ptrace the helpers outside its filter", async () => {
    const spec = pluginSpec(file.layout, "syscalls-ptrace", "python", { "layer.py": PYTHON_ATTACKER });
    spec.sandbox = { ...spec.sandbox, disable: ["namespace", "landlock"] };
    const plugin = startPlugin(spec);
    running.push(plugin);
    expect(sandboxReport({ runtime: "python", sandbox: spec.sandbox }).level).toBe("process+seccomp");
    const reaper = (await call(plugin, "ppid")).slice("ok:".length);
    expect(await call(plugin, "ptrace", reaper)).toMatch(/^denied:PermissionError/);
    expect(await call(plugin, "ptrace", String(plugin.pid()))).toMatch(/^denied:PermissionError/);
  });
});

describe("without a network namespace (Landlock alone)", () => {
  let plugin: PluginProcess;
  beforeAll(() => {
    plugin = attacker("python", ["namespace"]);
  });

  it("cannot reach a local TCP server over MPTCP", async () => {
    const before = file.layout.server.connections();
    expect(await call(plugin, "mptcp", String(file.layout.server.port))).toMatch(/^denied:/);
    expect(file.layout.server.connections()).toBe(before);
  });

  it("cannot send UDP (DNS or anything else) anywhere", async () => {
    const server = dgram.createSocket("udp4");
    let received = 0;
    server.on("message", () => received++);
    await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
    try {
      expect(await call(plugin, "udp", String(server.address().port))).toMatch(/^denied:/);
      // A datagram sent would be here by the time the plugin answered; give the loop one more turn.
      await new Promise((resolve) => setImmediate(resolve));
      expect(received).toBe(0);
    } finally {
      server.close();
    }
  });

  it("cannot connect to a named unix socket of the host (a docker.sock, a session bus)", async () => {
    const socketPath = path.join(file.layout.root, "host.sock");
    let accepted = 0;
    const server = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      expect(await call(plugin, "unix", socketPath)).toMatch(/^denied:/);
      expect(accepted).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe.each(["python", "node"] as const)("a %s plugin with namespaces alone", (runtime) => {
  it("cannot fill RAM through /dev (an uncapped tmpfs), only its capped /tmp", async () => {
    // Node's permission model off too: the refusal here is the mount's.
    const plugin = attacker(runtime, ["landlock", "permission"]);
    expect(await call(plugin, "fill", "/dev/shm/ballast")).toMatch(/^denied:.*(Read-only|EROFS)/);
    expect(await call(plugin, "fill", "/dev/ballast")).toMatch(/^denied:.*(Read-only|EROFS)/);
    expect(await call(plugin, "fill", "/tmp/ballast")).toBe("ok:wrote /tmp/ballast");
    expect(await call(plugin, "fill", "/dev/null")).toBe("ok:wrote /dev/null");
  });
});

describe("the kernel keyring of the session that started shelfwise", () => {
  it("is out of a plugin's reach, with the key shelfwise's login put there", () => {
    const root = file.layout.root;
    const id = "keyring-thief";
    const folder = path.join(root, "cli-data", "plugins", id);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "layer.py"), PY);
    fs.writeFileSync(
      path.join(folder, "manifest.json"),
      JSON.stringify({ id, name: id, version: "1.0.0", runtime: "python", entry_point: "layer.py", class_name: "Attacker", default_order: 50, api_version: 1 }),
    );
    fs.mkdirSync(path.join(root, "cli-library", "Author", "keyring"), { recursive: true });
    fs.writeFileSync(path.join(root, "cli-library", "Author", "keyring", "01.mp3"), Buffer.alloc(4000));
    // As pam_keyinit does at login: a session keyring of its own, holding a secret, then shelfwise.
    const wrapper = String.raw`
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
assert libc.syscall(250, 1, b"shelfwise-test-session") > 0, "KEYCTL_JOIN_SESSION_KEYRING"
secret = sys.argv[1].encode()
assert libc.syscall(248, b"user", b"login-token", secret, len(secret), -3) > 0, "add_key"
os.execv(sys.argv[2], sys.argv[2:])
`;
    const run = spawnSync(
      "python3",
      [
        "-c",
        wrapper,
        SECRET,
        process.execPath,
        path.join(REPO_ROOT, "bin", "shelfwise.js"),
        "--data-dir",
        path.join(root, "cli-data"),
        "plugins",
        "test",
        folder,
        "--book",
        path.join(root, "cli-library", "Author", "keyring"),
        "--json",
      ],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect(run.stderr).toBe("");
    // shelfwise splits "title: subtitle"; the verdict is the part before the colon.
    expect(run.stdout).toMatch(/"value": "denied:PermissionError"/);
    expect(run.stdout).not.toMatch(/ok:keys/);
    expect(run.stdout).not.toContain(SECRET);
  });
});
