"""shelfwise python plugin runner: the program shelfwise starts for a Python plugin.

The runner is shelfwise_runner_core.py, whose code this script runs as its own (so it is `__main__`,
as it was when that code was this file): Python compiles the script it runs at every start, but
a module's code it can take from its compiled copy (python/__pycache__, written by `npm run build`,
checked against the source's hash; without one, or for a changed source, it compiles from source as
before). Python 3.8+, standard library only.
"""

if __name__ != "__main__":
    # Plugin code importing this file (`import shelfwise_runner`, to reach send() or the channels) ran it again as a
    # new module: its start-up closed and moved the running runner's descriptors, and the call died as "the
    # plugin closed shelfwise's channel", which it had not knowingly done. The running runner is `__main__`.
    raise ImportError(
        "shelfwise_runner is the program that runs your plugin, not a module to import: "
        "import BasePlugin from shelfwise (or library_manager.plugin_loader), and return your answer from process()"
    )

import importlib.machinery  # noqa: E402
import os  # noqa: E402

_core = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shelfwise_runner_core.py")
exec(importlib.machinery.SourceFileLoader("__main__", _core).get_code("__main__"), globals())
