"""The python runner's way out of the plugin's network namespace.

Inside shelfwise's wall a plugin with declared hosts has no network of its
own: its only way out is shelfwise's egress proxy (src/plugins/sandbox/
egress-proxy.ts), which allows exactly the declared hosts and refuses private
addresses. This module makes that invisible to plugin code: every TCP
connection (socket, http.client, urllib, requests, asyncio) is tunnelled
through the proxy with HTTP CONNECT, and names of declared hosts "resolve" to
placeholder addresses that stand for them (the proxy resolves the real name).

Inside a network namespace the proxy is a unix socket mounted into the
sandbox; a loopback forwarder started here turns it into 127.0.0.1:<port>, so
child processes reach it through HTTP_PROXY too. Without a namespace (Landlock
only) the proxy listens on the host's loopback and Landlock allows only that port.
"""

import os
import selectors
import socket
import threading

# RFC 2544 benchmark range: never a real peer, so a placeholder cannot shadow one.
_PLACEHOLDER_PREFIX = "198.18."
_HANDSHAKE_TIMEOUT = 30.0


_CHUNK = 65536
# Bytes held for a slow side before its peer stops being read (back-pressure).
_BUFFER_LIMIT = 4 * _CHUNK


class _Side(object):
    __slots__ = ("sock", "peer", "out", "reading", "shut_after_flush")

    def __init__(self, sock):
        self.sock = sock
        self.peer = None
        self.out = bytearray()  # waiting to be written to this side
        self.reading = True
        self.shut_after_flush = False


def _serve_forwarder(listener, unix_path):
    """One thread for every connection: the plugin's threads (a pool of up to
    32) and the memory limit (RLIMIT_AS counts each thread's stack and malloc
    arena) leave no room for two threads per connection."""
    sel = selectors.DefaultSelector()
    listener.setblocking(False)
    sel.register(listener, selectors.EVENT_READ, None)

    def interest(side):
        events = 0
        if side.reading and side.peer is not None and len(side.peer.out) < _BUFFER_LIMIT:
            events |= selectors.EVENT_READ
        if side.out:
            events |= selectors.EVENT_WRITE
        try:
            key = sel.get_key(side.sock)
        except (KeyError, ValueError):
            key = None
        if events and key is None:
            sel.register(side.sock, events, side)
        elif events and key.events != events:
            sel.modify(side.sock, events, side)
        elif not events and key is not None:
            sel.unregister(side.sock)

    def close_pair(side):
        for s in (side, side.peer):
            if s is None:
                continue
            try:
                sel.unregister(s.sock)
            except (KeyError, ValueError):
                pass
            try:
                s.sock.close()
            except OSError:
                pass

    def finished(side):
        return not side.reading and not side.out and side.shut_after_flush

    def flush(side):
        while side.out:
            try:
                sent = side.sock.send(side.out)
            except (BlockingIOError, InterruptedError):
                return True
            except OSError:
                return False
            del side.out[:sent]
        if side.shut_after_flush:
            try:
                side.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        return True

    while True:
        try:
            events = sel.select()
        except OSError:
            return
        for key, mask in events:
            if key.data is None:
                try:
                    client, _ = listener.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    return
                try:
                    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    upstream.connect(unix_path)
                except OSError:
                    client.close()
                    continue
                a, b = _Side(client), _Side(upstream)
                a.peer, b.peer = b, a
                for s in (a, b):
                    s.sock.setblocking(False)
                    interest(s)
                continue
            side = key.data
            if side.sock.fileno() < 0:
                continue
            ok = True
            if mask & selectors.EVENT_WRITE:
                ok = flush(side)
            if ok and mask & selectors.EVENT_READ and side.reading:
                try:
                    data = side.sock.recv(_CHUNK)
                except (BlockingIOError, InterruptedError):
                    data = None
                except OSError:
                    ok = False
                    data = None
                if data:
                    side.peer.out += data
                    ok = flush(side.peer)
                elif data is not None:
                    # End of this side's stream: pass it on once the peer has the rest.
                    side.reading = False
                    side.peer.shut_after_flush = True
                    ok = flush(side.peer)
            if not ok or (finished(side) and finished(side.peer)):
                close_pair(side)
                continue
            interest(side)
            interest(side.peer)


def start_forwarder(unix_path, port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    threading.Thread(target=_serve_forwarder, args=(listener, unix_path), daemon=True).start()


class _Egress(object):
    def __init__(self, port):
        self.port = port
        self.names = {}  # placeholder address -> host name
        self.addresses = {}  # host name -> placeholder address
        self.lock = threading.Lock()

    def placeholder(self, host):
        name = str(host).strip().lower().rstrip(".")
        with self.lock:
            address = self.addresses.get(name)
            if address is None:
                n = len(self.addresses) + 1
                address = "%s%d.%d" % (_PLACEHOLDER_PREFIX, (n >> 8) & 255, n & 255)
                self.addresses[name] = address
                self.names[address] = name
            return address

    def target(self, host):
        """The host name or address the proxy should reach for a connect() to `host`."""
        if isinstance(host, (bytes, bytearray)):
            host = bytes(host).decode("ascii", "replace")
        host = str(host)
        return self.names.get(host, host)

    def is_proxy(self, address):
        return address[1] == self.port and str(address[0]) in ("127.0.0.1", "::ffff:127.0.0.1", "localhost")

    def handshake(self, sock, host, port):
        shown = "[%s]" % host if ":" in host else host
        request = "CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (shown, port, shown, port)
        sock.sendall(request.encode("ascii", "replace"))
        reply = b""
        while not reply.endswith(b"\r\n\r\n"):
            # One byte at a time: nothing of the tunnelled stream may be read here.
            byte = sock.recv(1)
            if not byte:
                break
            reply += byte
            if len(reply) > 16384:
                break
        status = reply.split(b"\r\n", 1)[0].decode("latin-1", "replace")
        if " 200 " not in status + " ":
            body = b""
            try:
                sock.settimeout(1.0)
                body = sock.recv(4096)
            except OSError:
                pass
            reason = body.decode("utf-8", "replace").strip() or status or "the proxy closed the connection"
            raise PermissionError("network access to '%s' refused by shelfwise: %s" % (host, reason))

    def open_tunnel(self, sock, host, port, real_connect):
        """Connects `sock` (AF_INET/AF_INET6 stream) to the proxy and through it to host:port."""
        timeout = sock.gettimeout()
        sock.settimeout(timeout if timeout else _HANDSHAKE_TIMEOUT)
        try:
            proxy = ("127.0.0.1", self.port) if sock.family == socket.AF_INET else ("::ffff:127.0.0.1", self.port)
            real_connect(sock, proxy)
            self.handshake(sock, host, int(port))
        finally:
            sock.settimeout(timeout)


def install():
    """Route TCP through the egress proxy when shelfwise set one up; a no-op otherwise."""
    unix_path = os.environ.get("SHELFWISE_EGRESS_SOCKET")
    forward_port = os.environ.get("SHELFWISE_EGRESS_FORWARD_PORT")
    host_port = os.environ.get("SHELFWISE_EGRESS_PORT")
    if unix_path and forward_port:
        port = int(forward_port)
        start_forwarder(unix_path, port)
    elif host_port:
        port = int(host_port)
    else:
        return
    # Here, not at the top: most plugins declare no host, and this module is imported at every start.
    import ipaddress

    egress = _Egress(port)
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex
    real_connect = socket.socket.connect
    inet = (socket.AF_INET, getattr(socket, "AF_INET6", socket.AF_INET))

    def is_name(host):
        if host is None:
            return False
        text = host.decode("ascii", "replace") if isinstance(host, (bytes, bytearray)) else str(host)
        try:
            ipaddress.ip_address(text.split("%", 1)[0])
            return False
        except ValueError:
            # Every name, localhost included: the proxy resolves it, and decides.
            return True

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if not is_name(host):
            return real_getaddrinfo(host, port, family, type, proto, flags)
        if family not in (0, socket.AF_INET):
            raise socket.gaierror(socket.EAI_FAMILY, "only IPv4 placeholders inside shelfwise's sandbox")
        number = socket.getservbyname(port) if isinstance(port, str) and not port.isdigit() else int(port or 0)
        kind = type or socket.SOCK_STREAM
        return [(socket.AF_INET, kind, proto or (socket.IPPROTO_TCP if kind == socket.SOCK_STREAM else 0), "",
                 (egress.placeholder(host), number))]

    def gethostbyname(host):
        return egress.placeholder(host) if is_name(host) else real_gethostbyname(host)

    def gethostbyname_ex(host):
        if not is_name(host):
            return real_gethostbyname_ex(host)
        return (str(host), [], [egress.placeholder(host)])

    def tunnels(sock, address):
        return (sock.family in inet and sock.type & socket.SOCK_STREAM == socket.SOCK_STREAM
                and isinstance(address, tuple) and not egress.is_proxy(address))

    def connect(self, address):
        if not tunnels(self, address):
            return real_connect(self, address)
        egress.open_tunnel(self, egress.target(address[0]), address[1], real_connect)

    def connect_ex(self, address):
        try:
            connect(self, address)
            return 0
        except PermissionError:
            raise
        except OSError as exc:
            return exc.errno or 111

    def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
        host, port = address[0], address[1]
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            if egress.is_proxy((host, port)):
                real_connect(sock, (host, port))
            else:
                egress.open_tunnel(sock, egress.target(host), port, real_connect)
            return sock
        except BaseException:
            sock.close()
            raise

    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.create_connection = create_connection
    # urllib and requests would send to HTTP_PROXY themselves (set for child
    # processes); in here the tunnel above carries them, after the guard's check.
    import urllib.request

    urllib.request.getproxies = lambda: {}
