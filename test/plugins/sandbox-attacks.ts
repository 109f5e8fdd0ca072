/**
 * Plugins that attack the wall, one attack per call: the call's title names
 * the attack, its author field carries the argument. Each answers "ok:<what
 * it got>" or "denied:<error>", so a test sees exactly what got through.
 */

export const PYTHON_ATTACKER = String.raw`
import ctypes, os, signal, socket, struct, subprocess, sys, time, urllib.request

SECRETS = {}

def read(path):
    with open(path, "rb") as f:
        return f.read(200).decode("utf-8", "replace")

def write(path):
    with open(path, "w") as f:
        f.write("written by the plugin")
    return "written " + path

def libc():
    return ctypes.CDLL(None, use_errno=True)

def raw_connect(port, host="127.0.0.1"):
    c = libc()
    fd = c.socket(2, 1, 0)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "socket")
    addr = struct.pack("=H", 2) + struct.pack("!H", port) + socket.inet_aton(host) + b"\0" * 8
    rc = c.connect(fd, ctypes.c_char_p(addr), len(addr))
    err = ctypes.get_errno()
    c.close(fd)
    if rc != 0:
        raise OSError(err, os.strerror(err))
    return "connected (raw)"

def child_connect(port):
    code = "import socket; socket.create_connection(('127.0.0.1', %d), 3); print('connected')" % port
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=20, text=True)
    if out.returncode != 0 or "connected" not in out.stdout:
        raise OSError("child: " + (out.stderr.strip().splitlines() or ["exit %d" % out.returncode])[-1])
    return "connected (child)"

def proxy_direct(target):
    path = os.environ.get("SHELFWISE_EGRESS_SOCKET")
    if path:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
    else:
        port = int(os.environ["SHELFWISE_EGRESS_PORT"])
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.connect(("127.0.0.1", port))
    s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (target, target)).encode())
    reply = s.recv(4096).decode("latin-1")
    s.close()
    if " 200 " not in reply.split("\r\n", 1)[0]:
        raise PermissionError(" ".join(reply.split()) or "closed by the proxy")
    return "tunnel opened to " + target

LISTENERS = []
def listen(address):
    # A server on another loopback address (or the machine's LAN address) at the proxy's port.
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((address, int(os.environ["SHELFWISE_EGRESS_PORT"])))
    s.listen(1)
    LISTENERS.append(s)
    return "listening on %s:%d" % s.getsockname()

def spawn_daemons(marker):
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", marker + "-setsid"],
                     start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", marker + "-double"])
        os._exit(0)
    os.waitpid(pid, 0)
    return "spawned"

def ptrace(pid):
    c = libc()
    if c.ptrace(16, int(pid), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return "attached"

def env_has_secret():
    with open("/proc/self/environ", "rb") as f:
        environ = f.read().decode("utf-8", "replace")
    found = [v for v in SECRETS.values() if v and v in environ]
    return "secret in environment" if found else "clean"

def raise_core_limit():
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    return "raised"

def dump_core():
    import resource
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
    os.chdir(os.environ["HOME"])
    os.kill(os.getpid(), signal.SIGSEGV)

def limit(name):
    with open("/proc/self/limits") as f:
        line = [l for l in f if l.startswith(name)][0]
    return " ".join(line[len(name):].split()[:2])

def core_limit():
    return limit("Max core file size")

ATTACKS = {
    "read": lambda a: read(a),
    "write": lambda a: write(a),
    "list": lambda a: ",".join(sorted(os.listdir(a))),
    "urllib": lambda a: urllib.request.urlopen(a, timeout=10).read().decode(),
    "socket": lambda a: (socket.create_connection(("127.0.0.1", int(a)), 5).close(), "connected")[1],
    "raw": lambda a: raw_connect(int(a)),
    "child": lambda a: child_connect(int(a)),
    "proxy": lambda a: proxy_direct(a),
    "listen": lambda a: listen(a),
    "signal": lambda a: (os.kill(int(a), signal.SIGCONT), "signalled")[1],
    "mem": lambda a: (open("/proc/%s/mem" % a, "rb").close(), "opened memory of " + a)[1],
    "ptrace": lambda a: ptrace(a),
    "ppid": lambda a: str(os.getppid()),
    "rename": lambda a: (os.rename(a, a + ".moved"), "renamed")[1],
    "unlink": lambda a: (os.unlink(a), "deleted")[1],
    "truncate": lambda a: (os.truncate(a, 0), "truncated")[1],
    "chmod": lambda a: (os.chmod(a, 0o777), "made writable")[1],
    "utime": lambda a: (os.utime(a, (0, 0)), "touched")[1],
    "hardlink": lambda a: (os.link(a, os.path.join(os.environ["HOME"], "linked")), "linked")[1],
    "daemons": lambda a: spawn_daemons(a),
    "daemons-hang": lambda a: (spawn_daemons(a), time.sleep(600)),
    "env": lambda a: env_has_secret(),
    "home": lambda a: os.environ.get("HOME", ""),
    "raise-core": lambda a: raise_core_limit(),
    "dump-core": lambda a: dump_core(),
    "core-limit": lambda a: core_limit(),
    "realtime-limits": lambda a: limit("Max realtime priority") + " / " + limit("Max nice priority"),
    "oom-score": lambda a: open("/proc/self/oom_score_adj").read().strip(),
    "oom-lower": lambda a: (open("/proc/self/oom_score_adj", "w").write("0"), open("/proc/self/oom_score_adj").read().strip())[1],
}

class Attacker:
    def setup(self, config, secrets):
        SECRETS.update(secrets)

    def process(self, book):
        attack = ATTACKS[book["current_title"]]
        try:
            return {"title": "ok:" + str(attack(book["current_author"]))}
        except BaseException as e:
            return {"title": "denied:%s: %s" % (type(e).__name__, e)}
`;

export const NODE_ATTACKER = String.raw`
import fs from "node:fs";
import net from "node:net";
import http from "node:http";

let secrets = {};

const attacks = {
  read: (a) => fs.readFileSync(a, "utf8").slice(0, 200),
  write: (a) => (fs.writeFileSync(a, "written by the plugin"), "written " + a),
  list: (a) => fs.readdirSync(a).sort().join(","),
  fetch: async (a) => await (await fetch(a)).text(),
  http: (a) => new Promise((resolve, reject) => {
    http.get(a, (res) => { let s = ""; res.on("data", (c) => (s += c)); res.on("end", () => resolve(s)); }).on("error", reject);
  }),
  socket: (a) => new Promise((resolve, reject) => {
    const s = net.connect(Number(a), "127.0.0.1");
    s.on("connect", () => { s.end(); resolve("connected"); });
    s.on("error", reject);
  }),
  child: async (a) => {
    const { execFileSync } = await import("node:child_process");
    return execFileSync(process.execPath, ["-e", "require('net').connect(" + Number(a) + ", '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0) }).on('error', (e) => { console.error(e.message); process.exit(1) })"], { encoding: "utf8" });
  },
  rename: (a) => (fs.renameSync(a, a + ".moved"), "renamed"),
  unlink: (a) => (fs.unlinkSync(a), "deleted"),
  truncate: (a) => (fs.truncateSync(a, 0), "truncated"),
  chmod: (a) => (fs.chmodSync(a, 0o777), "made writable"),
  utime: (a) => (fs.utimesSync(a, 0, 0), "touched"),
  hardlink: (a) => (fs.linkSync(a, process.env.HOME + "/linked"), "linked"),
  signal: (a) => (process.kill(Number(a), "SIGCONT"), "signalled"),
  mem: (a) => (fs.closeSync(fs.openSync("/proc/" + a + "/mem", "r")), "opened memory of " + a),
  "core-limit": () => {
    const core = process.report.getReport().userLimits.core_file_size_blocks;
    return [core.soft, core.hard].map((v) => (v === "unlimited" ? "unlimited" : String(v))).join(" ");
  },
  env: () => (Object.values(secrets).some((v) => v && JSON.stringify(process.env).includes(v)) ? "secret in environment" : "clean"),
  // Writes (in its data folder) a file of that many MB, one MB at a time: its size, or the write's error and the size reached.
  grow: (a) => {
    const fd = fs.openSync("grown.bin", "w");
    try {
      for (let i = 0; i < Number(a); i++) fs.writeSync(fd, Buffer.alloc(1 << 20, 120));
      return "size " + fs.fstatSync(fd).size;
    } catch (e) {
      throw Object.assign(new Error("at size " + fs.fstatSync(fd).size), { code: e.code });
    } finally {
      fs.closeSync(fd);
    }
  },
};

export default class {
  setup(config, s) { secrets = s; }
  async process(book) {
    try {
      return { title: "ok:" + String(await attacks[book.current_title](book.current_author)) };
    } catch (e) {
      return { title: "denied:" + (e.code ? e.code + ": " : "") + e.message + (e.cause ? " / " + e.cause.message : "") };
    }
  }
}
`;
